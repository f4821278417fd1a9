"""Name rules: which driver, repo and job names can be file-path components."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.catalog.names import repo_folder, safe_name
from generator.errors import UsageError


@pytest.mark.parametrize("name", ["nova-libvirt", "a.b_c-1", "X1"])
def test_safe_names(name: str) -> None:
    assert safe_name("repo", name) == name


@pytest.mark.parametrize("name", ["", "..", "a/b", "-x", ".hidden", "a..b", "a b"])
def test_unsafe_names(name: str) -> None:
    with pytest.raises(UsageError, match="cannot be used in a file path"):
        safe_name("repo", name)


def test_a_zuul_project_repo_is_two_folders() -> None:
    assert repo_folder("nova-libvirt") == Path("nova-libvirt")
    assert repo_folder("openstack/nova-lxd") == Path("openstack") / "nova-lxd"
    with pytest.raises(UsageError, match="more than one '/'"):
        repo_folder("a/b/c")
    with pytest.raises(UsageError, match="cannot be used in a file path"):
        repo_folder("openstack/..")
