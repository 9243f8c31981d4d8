"""`python -m numeribus_kiosk` is `numeribus-kiosk`."""

import sys

from .cli import main

sys.exit(main())
