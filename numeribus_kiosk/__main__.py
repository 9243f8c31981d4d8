"""`python -m numeribus_kiosk` is `numeribus-kiosk`."""

import sys

from .cli import main

if __name__ == "__main__":  # worker processes import this module again: no second run
    sys.exit(main())
