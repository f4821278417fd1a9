"""tempest-matrix: Nova virt-driver knobs -> covering arrays -> Tempest CI jobs.

Pipeline (data flows one way): ``loader`` (YAML catalog) -> ``model`` ->
``constraints`` / ``_engine`` (covering array) -> ``matrix`` -> ``emit`` / ``audit``.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
