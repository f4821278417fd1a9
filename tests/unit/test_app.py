"""The generate pipeline (generator.app): determinism across hash seeds, size bounds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import FIXTURES
from tests.snapshots import generated_bytes


def test_outputs_do_not_depend_on_hash_seed(tmp_path: Path) -> None:
    fixture = FIXTURES / "emit" / "knobs"
    trees = []
    for hash_seed in ("1", "4242"):
        root = tmp_path / hash_seed
        shutil.copytree(fixture, root / "knobs")
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run(
            [sys.executable, "-m", "generator", "-q", "generate", "--fast"],
            cwd=root,
            env=env,
            check=True,
        )
        trees.append(generated_bytes(root))
    assert trees[0] == trees[1]
    assert len(trees[0]) > 3


def test_check_catalog_uses_the_given_size_bound_and_names_the_file() -> None:
    from generator.app import check_catalog
    from generator.catalog.loader import load_file
    from generator.errors import ParameterError

    catalog = load_file(FIXTURES / "emit" / "knobs" / "mini.yaml")
    check_catalog(catalog)  # the default bound
    with pytest.raises(ParameterError) as info:
        check_catalog(catalog, 2, max_tuples=3)
    assert info.value.message.startswith(f"{catalog.path}: strength 2 over 4 knobs means ")
    check_catalog(catalog, 3, max_tuples=10**6)
