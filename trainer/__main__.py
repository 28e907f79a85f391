"""`python -m trainer` is the same as the `trainer` command."""

from trainer.cli import main

main()
