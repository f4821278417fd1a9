"""The covering-array engine (private): integer arrays in, integer arrays out.

Knows nothing of YAML, Zuul or Tempest; ``generator.engine`` is its public face.
"""

from __future__ import annotations
