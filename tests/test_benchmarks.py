"""Smoke test of the benchmark harness and its independent checker on tiny models."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import pytest

from benchmarks.checker import Checker
from benchmarks.harness import main
from generator.model import Constraint, Model, Parameter

if TYPE_CHECKING:
    from pathlib import Path

    from generator.model import Row


def _model() -> Model:
    return Model(
        parameters=(
            Parameter("a", ("x", "y")),
            Parameter("b", ("x", "y", "z")),
            Parameter("c", ("p", "q")),
            Parameter("d", ("u", "w"), when=(("c", ("p",)),)),
        ),
        constraints=(Constraint("forbid", (("a", ("x",)), ("b", ("z",)))),),
    )


def _valid_rows(model: Model) -> list[Row]:
    """Every valid full row, by brute force (the checker must accept this array)."""
    rows: list[Row] = []
    for a, b, c in itertools.product(("x", "y"), ("x", "y", "z"), ("p", "q")):
        if (a, b) == ("x", "z"):
            continue
        for d in ("u", "w") if c == "p" else (None,):
            rows.append((a, b, c, d))
    return rows


def test_checker_accepts_every_valid_row() -> None:
    model = _model()
    checker = Checker(model, 2)
    assert checker.check(_valid_rows(model)) == (True, "ok")
    # feasible pairs: (a, b) loses (x, z); (c, d) only where d applies
    assert checker.feasible((0, 1)) == 5
    assert checker.feasible((2, 3)) == 2
    assert checker.feasible((1, 3)) == 6


def test_checker_reports_invalid_row() -> None:
    model = _model()
    rows = [*_valid_rows(model), ("x", "z", "q", None)]
    assert Checker(model, 2).check(rows) == (False, "row 16 is invalid")
    bad_na = [*_valid_rows(model), ("x", "x", "q", "u")]  # d does not apply when c is q
    assert Checker(model, 2).check(bad_na)[0] is False


def test_checker_reports_uncovered_tuple() -> None:
    model = _model()
    rows = [r for r in _valid_rows(model) if not (r[0] == "y" and r[1] == "z")]
    ok, reason = Checker(model, 2).check(rows)
    assert not ok
    assert reason == "1 feasible tuple(s) over (a, b) uncovered"


def test_harness_smoke(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results.md"
    code = main(["--models", "t2_3e4", "--steps", "50", "--output", str(out)])
    assert code == 0
    text = out.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| t2_3e4 "))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[:4] == ["t2_3e4", "2", "9", "9"]
    assert int(cells[4].split(" / ")[0]) >= 9  # greedy (--fast): IPOG-F alone
    assert cells[5].startswith("9 / ")  # full: the Bush OA(9; 2, 4, 3)
    assert cells[6] == "yes"
    assert cells[8].endswith("/ recorded") or cells[8].endswith("/ measured")
    captured = capsys.readouterr()
    assert "| t2_3e4 |" in captured.out
    assert "ours full:   9 rows" in captured.err


def test_harness_unknown_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--models", "no_such_model"]) == 2
    assert capsys.readouterr().err == "unknown model(s): no_such_model\n"


CNF = "c tiny\np cnf 3 2\n-1 2 0\n-2 -3 0\n"


def test_cnf_checker_accepts_a_covering_array_and_finds_gaps(tmp_path: Path) -> None:
    from benchmarks.cnf_checker import CnfChecker

    path = tmp_path / "tiny.cnf"
    path.write_text(CNF, encoding="utf-8")
    checker = CnfChecker(path)
    # valid rows: 1 -> 2, 2 -> not 3
    every = [r for r in itertools.product("01", repeat=3) if checker.row_ok([int(x) for x in r])]
    assert checker.check(every) == (True, "ok")
    assert checker.feasible_pairs() == 9
    assert checker.check([("1", "0", "0")]) == (False, "row 1 violates a clause")
    ok, reason = checker.check(every[1:])
    assert not ok
    assert reason.startswith("feasible pair x")
    checker.close()


def test_sweep_reads_the_best_known_table() -> None:
    from benchmarks.sweep import best_known

    assert best_known(2, 13, 3) == (15, best_known(2, 13, 3)[1])  # type: ignore[index]
    assert best_known(2, 100, 2) is not None
    assert best_known(2, 100, 2)[0] == 10  # type: ignore[index]
    assert best_known(5, 10, 3) is None


def test_sweep_writes_one_file_per_strength(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from benchmarks import sweep

    monkeypatch.setattr(sweep, "GRID", {2: (range(2, 4), (4,)), 3: (range(2, 3), (4,))})
    monkeypatch.setattr(sweep, "RESULTS_OF", str(tmp_path / "sweep-t{t}.md"))
    assert sweep.main([]) == 0
    capsys.readouterr()
    t2 = (tmp_path / "sweep-t2.md").read_text(encoding="utf-8")
    t3 = (tmp_path / "sweep-t3.md").read_text(encoding="utf-8")
    # 2^4 and 3^4 at t=2 (best known 5 and 9), 2^4 at t=3 (8): the engine reaches each.
    assert "| 2 | 2 | 1.000 (3^4) | 1.000 |" in t2
    assert "| 2 | 3 | 4 | 9 / " in t2
    assert "| 3 | 1 | 1.000 (2^4) | 1.000 |" in t3


def test_sweep_off_the_grid_writes_its_own_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from benchmarks import sweep

    monkeypatch.setattr(sweep, "OFF_GRID", {2: (range(3, 4), (5,)), 3: (range(2, 3), (5,))})
    monkeypatch.setattr(sweep, "RESULTS_OFF", str(tmp_path / "off-t{t}.md"))
    monkeypatch.setattr(sweep, "RESULTS_OF", str(tmp_path / "grid-t{t}.md"))
    assert sweep.main(["--off-grid", "--strength", "2"]) == 0
    capsys.readouterr()
    assert not (tmp_path / "grid-t2.md").exists()
    off = (tmp_path / "off-t2.md").read_text(encoding="utf-8")
    # 3^5 at t=2: the best known is 11 (derived from strength 3), which the engine reaches
    assert "| 2 | 3 | 5 | 11 / " in off
    assert "| 2 | 1 | 1.000 (3^5) | 1.000 |" in off
