import sys

from cfglint.cli import main

sys.exit(main())
