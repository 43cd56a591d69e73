"""Allow `python -m optout`, for machines where the console script is not on PATH."""

from optout.cli.app import main

main()
