"""Backups: the database and the instance folder's keys, in one archive, and back again.

``trainer db backup PATH`` takes a consistent snapshot while the site runs
(SQLite's online backup API, or ``pg_dump``) and packs it with the instance
folder (the secret key and the signing keys) and a manifest of checksums and
row counts. ``trainer db restore PATH`` checks the archive, refuses to
overwrite data or different keys unless told to, restores, and compares the
row counts with the manifest.
"""
