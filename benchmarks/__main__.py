"""Entry point: ``python -m benchmarks [--models NAME ...] [--quick] [--steps N]``."""

from __future__ import annotations

from benchmarks.harness import main

raise SystemExit(main())
