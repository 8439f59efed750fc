"""Sources: one module per kind (rss, reddit, web), all with the interface in ``base``.

Sources return posts; they never touch the database.
"""
