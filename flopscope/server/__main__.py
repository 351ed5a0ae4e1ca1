"""``python -m flopscope.server`` is the ``flopscope-server`` console script."""

from flopscope.server.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
