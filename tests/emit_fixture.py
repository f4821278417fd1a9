"""The small ``mini`` catalog and matrix shared by the emitter tests."""

from __future__ import annotations

from generator.catalog.loader import load_dir
from generator.matrix import Job, Matrix
from generator.model import Catalog
from tests.paths import FIXTURES

__all__ = ["COMMAND", "FIXTURES", "MATRIX", "mini"]

FIXTURES = FIXTURES / "emit" / "knobs"
COMMAND = "tempest-matrix generate --driver mini"


def mini() -> Catalog:
    """The catalog in ``tests/fixtures/emit/knobs`` (one driver, ``mini``)."""
    (catalog,) = load_dir(FIXTURES)
    return catalog


MATRIX = Matrix(
    "mini",
    "nova-mini",
    2,
    0,
    "sha256:0123",
    (
        Job(
            "nova-mini-tm-01",
            (
                ("virt_type", "qemu"),
                ("images_type", "lvm"),
                ("barbican", "on"),
                ("cpu_models", "nehalem"),
            ),
        ),
        Job(
            "nova-mini-tm-02",
            (
                ("virt_type", "kvm"),
                ("images_type", "default"),
                ("barbican", "off"),
                ("cpu_models", None),
            ),
        ),
        Job(
            "nova-mini-tm-03",
            (
                ("virt_type", "qemu"),
                ("images_type", "default"),
                ("barbican", "off"),
                ("cpu_models", "host-model"),
            ),
        ),
    ),
    4,
)
