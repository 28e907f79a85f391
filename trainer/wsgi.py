"""WSGI entry point for running under gunicorn directly: ``gunicorn trainer.wsgi:app``.

Run ``trainer db upgrade`` first; unlike ``trainer serve``, this does not migrate.
"""

from trainer import create_app

app = create_app()
