"""Create or drop a throw-away PostgreSQL database for CI: ``pgdb.py create|drop NAME``."""

import sys

import psycopg

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"

action, name = sys.argv[1], sys.argv[2]
with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as connection:
    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if action == "create":
        connection.execute(f'CREATE DATABASE "{name}"')
