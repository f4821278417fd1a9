"""Mistakes a catalog author makes, each one message at the line that is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.catalog.loader_problems import rendered_problems


def test_a_dedented_values_key_is_not_a_knob(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = """\
        knobs:
          cpu:
            description: the CPU model
            default: a
          values:
            - a:
                localrc: {X: 1}
            - b:
                localrc: {X: 2}
        """
    # Before: "cat.yaml:2:3: knob 'cpu' has no values", and a knob named 'values'.
    assert rendered_problems(tmp_path, monkeypatch, text) == [
        "cat.yaml:5:3: 'values' is indented as a knob name, but it is one of a knob's own "
        "keys (description, default, when, values): indent it under knob 'cpu' (line 2), "
        "like that knob's other keys\n"
        "      values:"
    ]


def test_a_knob_named_like_a_knob_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert rendered_problems(tmp_path, monkeypatch, "knobs:\n  default: [a, b]\n") == [
        "cat.yaml:2:3: a knob may not be named 'default': it is one of a knob's own keys "
        "(description, default, when, values)\n"
        "      default: [a, b]"
    ]


def test_a_when_typo_quotes_the_when_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = """\
        knobs:
          machine:
            values: [q35, pc]
          ports:
            description: >-
              [libvirt] num_pcie_ports; q35 attaches more devices by default than pc,
              so nova-next raises it to 12. 0 (nova's default) lets libvirt decide.
              A description long enough that the first six lines of the knob end
              before its when line.
            default: a
            when: {machin: q35}
            values: [a, b]
          other:
            when:
              machine: [q36]
            values: [a, b]
        """
    assert rendered_problems(tmp_path, monkeypatch, text) == [
        "cat.yaml:11:12: unknown knob 'machin' in when of knob 'ports' (did you mean "
        "'machine'?)\n"
        "        when: {machin: q35}",
        "cat.yaml:15:17: knob 'machine': value 'q36' in when of knob 'other' is not declared "
        "(did you mean 'q35'?)\n"
        "        when:\n"
        "          machine: [q36]",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            # a list item one column too deep
            "knobs:\n  cpu:\n    values:\n      - a:\n          localrc: {X: 1}\n"
            "       - b:\n          localrc: {X: 2}\n",
            "cat.yaml:6:8: YAML syntax error: line 6 is indented to column 8, but the items of "
            "the list it continues are at column 7 (line 4: '- a:'); indent it to column 7 to "
            "continue that list\n"
            "           - b:",
        ),
        (
            # a section between two levels
            "knobs:\n  a:\n    values:\n      - x:\n          post_config:\n"
            "            $NOVA_CONF:\n              DEFAULT: {a: 1}\n"
            "           libvirt: {b: 2}\n",
            "cat.yaml:8:12: YAML syntax error: line 8 is indented to column 12, but the keys of "
            "the mapping it continues are at column 11 (line 5: 'post_config:'); indent it to "
            "column 11 to continue that mapping, or to column 15 like the line above to nest "
            "it there\n"
            "               libvirt: {b: 2}",
        ),
        (
            # a knob key dedented by one
            "knobs:\n  a:\n    default: x\n   values: [x, y]\n",
            "cat.yaml:4:4: YAML syntax error: line 4 is indented to column 4, but the keys of "
            "the mapping it continues are at column 3 (line 2: 'a:'); indent it to column 3 to "
            "continue that mapping, or to column 5 like the line above to nest it there\n"
            "       values: [x, y]",
        ),
        (
            # a key under a plain value
            "knobs:\n  a:\n    values: x\n      default: y\n",
            "cat.yaml:4:14: YAML syntax error: line 4 has a 'key:' where a value goes: indent it "
            "to column 5 like line 3 ('values: x') to make it a key of that mapping, or quote "
            "a value that contains ': '\n"
            "          default: y",
        ),
    ],
)
def test_a_mis_indented_line_is_named_with_the_column_to_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    # Before: "YAML syntax error: while parsing a block mapping: expected <block end>,
    # but found '<block mapping start>'".
    assert rendered_problems(tmp_path, monkeypatch, text) == [message]
