"""Reading and validating the content tree (``content/`` and ``images/``).

Qt-free and database-free: :func:`atlas.content.loader.load_content` returns
validated objects and a list of problems; :mod:`atlas.db.builder` writes them.
"""
