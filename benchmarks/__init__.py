"""Peer-comparison harness: ``python -m benchmarks`` (tox env ``bench``).

Generates arrays for every model in ``benchmarks/models/`` with this engine
(greedy only and with post-optimisation), with allpairspy and, when a ``pict``
binary is on PATH, with PICT; checks every array with an independent oracle
(``benchmarks.checker``) and writes the table to ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations
