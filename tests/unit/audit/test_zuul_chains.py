"""Zuul inheritance chains thousands of jobs deep: each variant applied once, cycles found."""

from __future__ import annotations

import pytest

from generator.audit import zuul_jobs
from generator.audit.zuul_files import (
    Variant,
    ZDict,
    ZuulConfig,
)
from generator.audit.zuul_resolve import Resolver, resolve_job
from generator.errors import KnobFileError


def _chain_config(depth: int) -> ZuulConfig:
    """Jobs j0 (parent devstack, not given) <- j1 <- ... each setting one localrc value."""
    config = ZuulConfig()
    for i in range(depth):
        body = ZDict(name=f"j{i}", parent="devstack" if i == 0 else f"j{i - 1}")
        body["vars"] = ZDict(devstack_localrc=ZDict({f"V{i % 3}": str(i)}))
        config.jobs[f"j{i}"] = [Variant(f"j{i}", body, "zuul.yaml", i + 1, 0)]
    return config


def test_f11_a_5000_deep_chain_applies_each_variant_once() -> None:
    config = _chain_config(5000)
    resolver = Resolver(config)
    jobs = [resolver.resolve(f"j{i}") for i in reversed(range(5000))]
    assert resolver.applied == 5000  # linear: each variant once, however deep it is inherited
    deepest = jobs[0]
    assert len(deepest.chain) == 5000
    assert deepest.chain[0] == "j0"
    assert deepest.external == "devstack"
    assert deepest.host("controller")["devstack_localrc"] == {
        "V0": "4998",
        "V1": "4999",
        "V2": "4997",
    }
    assert [v.name for v in deepest.own_variants] == ["j4999"]
    found, warnings = zuul_jobs(config)
    assert len(found) == 5000
    assert warnings == [
        "parent devstack is not defined in the given files; its variables are unknown "
        "(jobs: j0, j1, j2 and 4997 more)"
    ]


def test_a_parent_cycle_deep_in_a_long_chain_is_found() -> None:
    config = _chain_config(3000)
    config.jobs["j0"][0].body["parent"] = "j2999"  # type: ignore[index]
    with pytest.raises(KnobFileError) as info:
        resolve_job(config, "j2999")
    assert str(info.value) == (
        "zuul.yaml:3000: parent cycle: j2999 -> j2998 -> j2997 -> j2996 -> j2995 -> "
        "... (2991 more) -> j3 -> j2 -> j1 -> j0 -> j2999"
    )
