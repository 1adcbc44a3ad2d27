"""Storage: the content database (built once, opened read-only) and the per-user database."""
