"""``audit`` on Zuul files whose attributes have the wrong type: one located message, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.paths import FIXTURES

FIXTURES = FIXTURES / "zuul"
SMALL = FIXTURES / "audit-small"
CATALOG = str(SMALL / "knobs")
ZUUL = [str(SMALL / "project"), str(SMALL / "base")]


JOB = "- job:\n    name: a\n    parent: devstack\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            JOB + "    nodeset: {nodes: 5}\n",
            "4:22: job a: nodeset: nodes must be a mapping, got a scalar",
            id="F9-nodes-5",
        ),
        pytest.param(
            "- nodeset:\n    name: n\n    nodes: [{name: c}]\n"
            "    groups: [{name: compute, nodes: 5}]\n" + JOB + "    nodeset: n\n",
            "4:37: nodeset n: group nodes must be a string, got 5",
            id="F9-group-nodes-5",
        ),
        pytest.param(
            JOB + "    branches: '['\n",
            "4:15: job a: branches '[' is not a valid regular expression: unterminated "
            "character set at position 0",
            id="F9-branches-regex",
        ),
        pytest.param(
            JOB + "    branches: {regex: '(', negate: true}\n",
            "4:23: job a: branches regex '(' is not a valid regular expression: missing ), "
            "unterminated subpattern at position 0",
            id="F9-branches-negated-regex",
        ),
        pytest.param(
            "- project:\n    templates: 5\n",
            "2:16: project: templates must be a list, got a scalar",
            id="F9-templates-5",
        ),
        pytest.param(
            "- project:\n    check: {jobs: 5}\n",
            "2:19: project: check jobs must be a list",
            id="F9-project-jobs-5",
        ),
        pytest.param(
            "- project-template:\n    name: t\n    check: {jobs: 5}\n",
            "3:19: project-template: check jobs must be a list",
            id="F9-template-jobs-5",
        ),
        pytest.param(
            JOB + "    vars: {[a]: 1}\n",
            "4:12: a mapping key must be a scalar\n        vars: {[a]: 1}",
            id="F9-list-key",
        ),
        pytest.param(
            JOB + "    vars:\n      devstack_localrc: {X: &l [*l]}\n",
            "5:33: recursive YAML alias: *l is used inside the node it names\n"
            "          devstack_localrc: {X: &l [*l]}",
            id="F9-recursive-list-alias",
        ),
        pytest.param(
            JOB + "    vars: {x: !!timestamp nope}\n",
            "4:15: 'nope' is not a valid !!timestamp value\n        vars: {x: !!timestamp nope}",
            id="F2-zuul-timestamp",
        ),
        pytest.param(
            JOB + "    vars: {x: [" + "[" * 3000 + "]" * 3000 + "]}\n",
            "4:111: YAML nested deeper than 100 levels",
            id="F3-zuul-depth",
        ),
        pytest.param(
            JOB
            + "    vars:\n"
            + "".join(
                f"      l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10) if i else 'x, x, x, x, x'}]\n"
                for i in range(9)
            ),
            "11:11: YAML aliases expand the document to more than 1,000,000 nodes",
            id="F10-billion-laughs",
        ),
        pytest.param(
            JOB + "    vars: {x: !override 5}\n",
            "4:15: !override on a scalar needs a string, got 5",
            id="override-scalar",
        ),
        pytest.param(
            JOB + "    group-vars: {compute: 5}\n",
            "4:27: job a: group-vars of compute must be a mapping, got a scalar",
            id="group-vars",
        ),
    ],
)
def test_zuul_attributes_of_the_wrong_type_exit_2(
    cli: RunCli, tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / ".zuul.yaml").write_text(text, encoding="utf-8")
    code, out, err = cli(
        "audit",
        "--catalog",
        CATALOG,
        "--driver",
        "libvirt",
        "--zuul",
        str(tmp_path),
        str(SMALL / "base"),
    )
    assert (code, out) == (2, "")
    shown = err.removeprefix(f"tempest-matrix: {tmp_path}/.zuul.yaml:")
    assert shown.startswith(message + "\n")


@pytest.mark.parametrize(
    "local_conf",
    ["{post-config: x}", "{test-config: 5}"],
    ids=["F9-post-config-x", "F9-test-config-5"],
)
def test_local_conf_phases_of_any_type_are_not_options(
    cli: RunCli, tmp_path: Path, local_conf: str
) -> None:
    text = JOB + f"    vars:\n      devstack_local_conf: {local_conf}\n"
    (tmp_path / ".zuul.yaml").write_text(text, encoding="utf-8")
    code, _, err = cli(
        "audit",
        "--catalog",
        CATALOG,
        "--driver",
        "libvirt",
        "--format",
        "json",
        "--zuul",
        str(tmp_path),
        str(SMALL / "base"),
    )
    assert (code, "Traceback" in err, "internal error" in err) == (0, False, False)
