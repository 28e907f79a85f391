"""Course content: loaded from ``courses/``, validated, rendered once per process."""
