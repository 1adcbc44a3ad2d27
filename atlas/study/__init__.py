"""Self-study: quiz items generated from the content, scheduled with FSRS (Qt-free)."""
