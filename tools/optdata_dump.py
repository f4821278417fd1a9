"""Regenerate ``generator/catalog/data/*.json`` from the real tempest and nova packages.

Run by the ``optdata`` tox env (tempest 47 + plugins, nova 34 + os-vif installed)::

    python -m tools.optdata_dump tempest generator/catalog/data/tempest.json
    oslo-config-generator --namespace nova.conf --namespace os_vif --format json \
        --output-file nova-generator.json
    python -m tools.optdata_dump nova generator/catalog/data/nova.json --from nova-generator.json
    python -m tools.optdata_dump tests generator/catalog/data/tempest-tests.json

Tempest options are registered the way ``tempest.config.register_opts()`` does
(in-tree groups, then each plugin's ``register_opts``), so flags that plugins inject
into existing groups (e.g. whitebox's ``[compute-feature-enabled]`` additions) are
included, which plain ``oslo-config-generator`` output misses, and each option a
plugin registers records that plugin (``"plugin": "whitebox-tempest-plugin"``; the
top-level ``plugins`` maps each plugin to its version). The compact output keeps,
per option, only what validation needs: name, type, default, choices, min/max,
list item choices, deprecated names and the registering plugin.

The test list is what ``tempest run --list-tests`` prints in a fresh workspace
(``tempest init`` in a temporary directory), sorted, with the module prefix of each
installed plugin's tests (from its ``tempest.test_plugins`` entry point).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from generator.catalog.optdata_sources import (
    describe_opt,
    generator_sections,
    registered_options,
    registered_tempest_sections,
)
from generator.files import atomic_write

__all__ = ["main"]

_TEMPEST_DISTS = (
    "tempest",
    "whitebox-tempest-plugin",
    "neutron-tempest-plugin",
    "ironic-tempest-plugin",
    "barbican_tempest_plugin",
    "oslo.config",
)
_NOVA_DISTS = ("nova", "os-vif", "oslo.config")
_NOVA_DYNAMIC_FROM = (("devices", "enabled_mdev_types"), ("neutron", "physnets"))
"""The list options whose items nova's ``register_dynamic_opts`` functions turn into
sections (``nova/conf/devices.py``: ``[mdev_<type>]``; ``nova/conf/neutron.py``:
``[neutron_physnet_<physnet>]``, plus ``[neutron_tunnel]``)."""


def nova_dynamic_sections() -> dict[str, list[dict[str, object]]]:
    """The sections nova-compute registers at run time, from nova's own code.

    Every ``register_dynamic_opts`` of ``nova.conf`` runs (as the compute manager
    does at start-up) with each list option of ``_NOVA_DYNAMIC_FROM`` set to one
    marker item; the sections that appear are returned with the marker replaced by
    ``*`` (``mdev_*``), their deprecated names likewise (``vgpu_*``).
    """
    import pkgutil

    nova_conf: Any = importlib.import_module("nova.conf")
    conf = nova_conf.CONF
    conf([], project="nova", default_config_files=[], default_config_dirs=[])
    markers = {}
    for group, option in _NOVA_DYNAMIC_FROM:
        marker = f"<{group}.{option}>"
        markers[marker] = "*"
        conf.set_override(option, [marker], group=group)
    before = registered_options(conf)
    for module in pkgutil.iter_modules(nova_conf.__path__):
        loaded = importlib.import_module(f"nova.conf.{module.name}")
        if hasattr(loaded, "register_dynamic_opts"):
            loaded.register_dynamic_opts(conf)
    sections: dict[str, list[dict[str, object]]] = {}
    for registered, name in sorted(registered_options(conf) - before):
        entry = describe_opt(conf._groups[registered]._opts[name]["opt"])
        section = registered
        for marker, star in markers.items():
            section = section.replace(marker, star)
            entry = json.loads(json.dumps(entry).replace(marker, star))
        sections.setdefault(section, []).append(entry)
    return sections


def _versions(names: tuple[str, ...]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in names:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return found


def _render(
    kind: str,
    source: str,
    versions: dict[str, str],
    sections: dict[str, Any],
    plugins: dict[str, str] | None = None,
) -> str:
    document: dict[str, Any] = {
        "schema_version": 1,
        "registry": kind,
        "source": source,
        "versions": versions,
    }
    if plugins:
        document["plugins"] = plugins
    document["sections"] = dict(sorted(sections.items()))
    # One option per line: compact, yet diffs stay readable.
    lines = ["{"]
    head = [k for k in document if k != "sections"]
    for key in head:
        lines.append(f"  {json.dumps(key)}: {json.dumps(document[key], sort_keys=True)},")
    lines.append('  "sections": {')
    section_items = list(document["sections"].items())
    for i, (section, entries) in enumerate(section_items):
        lines.append(f"    {json.dumps(section)}: [")
        for j, entry in enumerate(entries):
            comma = "," if j < len(entries) - 1 else ""
            lines.append(f"      {json.dumps(entry, sort_keys=True)}{comma}")
        lines.append("    ]" + ("," if i < len(section_items) - 1 else ""))
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _plugin_prefixes() -> dict[str, str]:
    """Plugin repository name -> module prefix of its tests, from the entry points."""
    prefixes: dict[str, str] = {}
    for entry in importlib.metadata.entry_points(group="tempest.test_plugins"):
        dist = entry.dist.name if entry.dist is not None else entry.name
        repo = dist.lower().replace("_", "-")
        prefixes[repo] = entry.value.split(":", 1)[0].split(".", 1)[0] + "."
    return dict(sorted(prefixes.items()))


def list_tests() -> list[str]:
    """``tempest run --list-tests`` in a fresh workspace, sorted."""
    tempest = shutil.which("tempest")
    if tempest is None:
        raise SystemExit("tempest is not installed (run through: tox -e optdata)")
    with tempfile.TemporaryDirectory() as scratch:
        workspace = Path(scratch) / "workspace"
        subprocess.run([tempest, "init", str(workspace)], check=True, capture_output=True)
        listed = subprocess.run(
            [tempest, "run", "--list-tests"],
            cwd=workspace,
            check=True,
            capture_output=True,
            text=True,
        )
    return sorted({line.strip() for line in listed.stdout.splitlines() if line.strip()})


def render_tests(versions: dict[str, str], plugins: dict[str, str], tests: list[str]) -> str:
    """The committed test list: metadata on top, then one test ID per line."""
    lines = ["{", '  "schema_version": 1,', '  "source": "tempest run --list-tests",']
    lines.append(f'  "versions": {json.dumps(versions, sort_keys=True)},')
    lines.append(f'  "plugins": {json.dumps(plugins, sort_keys=True)},')
    lines.append('  "tests": [')
    lines.extend(
        f"    {json.dumps(t)}{',' if i < len(tests) - 1 else ''}" for i, t in enumerate(tests)
    )
    lines.extend(["  ]", "}"])
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.optdata_dump")
    parser.add_argument("registry", choices=["tempest", "nova", "tests"])
    parser.add_argument("output", type=Path)
    parser.add_argument(
        "--from",
        dest="source",
        type=Path,
        help="nova: the oslo-config-generator JSON file to convert",
    )
    args = parser.parse_args(argv)
    if args.registry == "tests":
        tests = list_tests()
        text = render_tests(_versions(_TEMPEST_DISTS[:-1]), _plugin_prefixes(), tests)
        atomic_write(args.output, text)
        args.output.chmod(0o644)
        sys.stderr.write(f"{args.output}: {len(tests)} tests\n")
        return 0
    plugins: dict[str, str] = {}
    if args.registry == "tempest":
        sections, plugins = registered_tempest_sections()
        source = "tempest.config.register_opts() order: in-tree groups, then each plugin"
        versions = _versions(_TEMPEST_DISTS)
    else:
        if args.source is None:
            parser.error("nova needs --from GENERATOR_JSON")
        sections = generator_sections(json.loads(args.source.read_text(encoding="utf-8")))
        sections.update(nova_dynamic_sections())
        source = (
            "oslo-config-generator --namespace nova.conf --namespace os_vif --format json; "
            "sections with * from nova.conf register_dynamic_opts()"
        )
        versions = _versions(_NOVA_DISTS)
    atomic_write(args.output, _render(args.registry, source, versions, sections, plugins))
    args.output.chmod(0o644)
    count = sum(len(v) for v in sections.values())
    sys.stderr.write(f"{args.output}: {len(sections)} sections, {count} options\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
