"""``python -m newslineage`` runs the command line."""

from newslineage.cli import main

main()
