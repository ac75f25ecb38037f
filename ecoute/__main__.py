"""`python -m ecoute`: the same command line as the `ecoute` script."""

from ecoute.cli import main

main()
