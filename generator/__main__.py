"""``python -m generator``: the same as the ``tempest-matrix`` console script."""

from __future__ import annotations

from generator.cli import main

raise SystemExit(main())
