"""Fuzzing: hostile file systems under ``generate``, kill -9 and two runs at once.

File-system set-ups plant symlinks leading out of the repository, folders, FIFOs
and files where generated files or folders go, stale temporary files and
journals; ``generate`` must write everything or nothing and never outside.
Killed runs (SIGKILL at a random moment, in a subprocess) must leave, once the
next run has recovered, exactly the old files or the new ones; two runs at once
must end as one run after the other.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from tests.property.harness import MINI, Workspace, large, snapshot, up_to_date

pytestmark = pytest.mark.property
SUBPROCESS_FUZZ = pytest.mark.skipif(
    not large(),
    reason="runs generate in subprocesses (seconds each): large budget only; "
    "tests/unit/cli/test_generate.py has the deterministic cases",
)


def _budget(default: int, big: int, *, timed: bool = False) -> settings:
    # A run killed at a random moment does not replay: no shrinking, report it as found.
    return settings(
        max_examples=big if large() else default,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        phases=[Phase.generate] if timed else list(Phase),
    )


def _change_catalog(repo: Path) -> None:
    path = repo / "knobs" / "mini.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("constraints:\n", _EXTRA_KNOB + "constraints:\n"), "utf-8")


_EXTRA_KNOB = """\
  console:
    default: vnc
    values:
      - vnc:
          post_config:
            $NOVA_CONF: {vnc: {enabled: true}}
      - spice:
          post_config:
            $NOVA_CONF: {vnc: {enabled: false}}
"""


def _replace(path: Path, make: str, outside: Path, repo: Path) -> None:
    """Put ``make`` (a kind of thing) where ``path`` is (not through a planted symlink)."""
    if any(
        p.is_symlink() or (p.exists() and not p.is_dir())
        for p in path.parents
        if p.is_relative_to(repo)
    ):
        return
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    if make == "link-out":
        path.symlink_to(outside)
    elif make == "link-victim":
        path.symlink_to(outside / "precious.conf")
    elif make == "dangling":
        path.symlink_to(outside / "nothing-here")
    elif make == "folder":
        path.mkdir()
    elif make == "fifo":
        os.mkfifo(path)
    else:
        path.write_text("planted\n", encoding="utf-8")


PLACES = [
    "output/nova-mini",
    "output/nova-mini/tempest",
    "output/nova-mini/zuul.d",
    "output/nova-mini/zuul.d/tempest-matrix.yaml",
    "output/nova-mini/tempest/nova-mini-tm-01.conf",
    "matrix",
    "matrix/mini.yaml",
    "output",
]
KINDS = ["link-out", "link-victim", "dangling", "folder", "fifo", "file"]
EXTRAS = [
    "matrix/.mini.yaml.abcd1234.tempest-matrix-tmp",
    "output/nova-mini/tempest/.nova-mini-tm-01.conf.x1y2z3w4.tmp",
    "matrix/.tempest-matrix.lock",
]


@_budget(6, 300)
@given(
    plants=st.lists(st.tuples(st.sampled_from(PLACES), st.sampled_from(KINDS)), max_size=3),
    extras=st.lists(st.sampled_from(EXTRAS), max_size=2, unique=True),
    journal=st.sampled_from(["", "garbage", "outside"]),
    fresh=st.booleans(),
)
def test_generate_on_a_hostile_file_system(
    plants: list[tuple[str, str]], extras: list[str], journal: str, fresh: bool
) -> None:
    """Any set-up: exit 0 or 2, nothing outside written, all-or-nothing inside."""
    with Workspace() as space:
        space.add(MINI, "knobs")
        assert space.run("-q", "generate", "--fast", label="setup", names=[]).code == 0
        _change_catalog(space.repo)
        for place, kind in plants:
            _replace(space.repo / place, kind, space.outside, space.repo)
        for extra in extras:
            path = space.repo / extra
            parents = [p for p in path.parents if p.is_relative_to(space.repo)]
            if all(p.is_dir() and not p.is_symlink() for p in parents):
                path.write_text("left by a killed run\n", encoding="utf-8")
        matrix = space.repo / "matrix"
        if journal and matrix.is_dir() and not matrix.is_symlink():
            victim = space.outside / "precious.conf"
            text = "{" if journal == "garbage" else f'{{"replace": [], "delete": ["{victim}"]}}'
            (matrix / ".tempest-matrix.journal").write_text(text, encoding="utf-8")
        argv = ["-q", "generate", "--fast", *(["--fresh"] if fresh else [])]
        result = space.run(*argv, label="fs generate", names=["matrix", "output"])
        assert result.code in {0, 2}, result.err
        if result.code == 0:
            assert up_to_date(space.run("check", label="fs check", names=["matrix"]))
            left = [p for p in space.repo.rglob(".*tmp") if p.is_file()]
            assert not left, left


_ARGS = ["-m", "generator", "-q", "generate", "--fresh", "--fast"]
_RECOVER = (
    "from pathlib import Path\n"
    "from generator.files import Transaction\n"
    "with Transaction([Path('matrix'), Path('output')]):\n"
    "    pass\n"
)


def _tree(repo: Path) -> dict[str, bytes]:
    """The generated files; temporary files of a killed run are not among them (the
    next run that commits removes them: checked separately)."""
    return {
        k: v
        for k, v in snapshot(repo).items()
        if k.startswith(("matrix/", "output/")) and not k.endswith(("tmp", ".journal"))
    }


@SUBPROCESS_FUZZ
@_budget(2, 40, timed=True)
@given(delay=st.floats(0.0, 1.0), after_journal=st.booleans())
def test_a_killed_generate_leaves_the_old_files_or_the_new(
    delay: float, after_journal: bool
) -> None:
    """SIGKILL at a random moment, or just after the journal appears: after recovery the
    trees are the old run's or the new run's, byte for byte, with no temporary file."""
    with Workspace() as space:
        space.add(MINI, "knobs")
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
        subprocess.run([sys.executable, *_ARGS], cwd=space.repo, env=env, check=True)
        old = _tree(space.repo)
        _change_catalog(space.repo)
        start = time.monotonic()
        reference = space.base / "reference"
        shutil.copytree(space.repo, reference)
        subprocess.run([sys.executable, *_ARGS], cwd=reference, env=env, check=True)
        new = _tree(reference)
        duration = time.monotonic() - start
        run = subprocess.Popen([sys.executable, *_ARGS], cwd=space.repo, env=env)
        journal = space.repo / "matrix" / ".tempest-matrix.journal"
        if after_journal:
            while run.poll() is None and not journal.exists():
                time.sleep(0.0005)
            time.sleep(delay * 0.005)
        else:
            time.sleep(delay * duration)
        run.send_signal(signal.SIGKILL)
        run.wait()
        event(f"killed: journal {'left' if journal.exists() else 'absent'}")
        subprocess.run([sys.executable, "-c", _RECOVER], cwd=space.repo, env=env, check=True)
        assert not journal.exists()
        after = _tree(space.repo)
        event("old files" if after == old else "new files" if after == new else "torn")
        assert after in (old, new)
        subprocess.run([sys.executable, *_ARGS], cwd=space.repo, env=env, check=True)
        assert not [p for p in space.repo.rglob(".*") if p.is_file()]


@SUBPROCESS_FUZZ
@_budget(1, 8, timed=True)
@given(fresh=st.booleans(), seeds=st.sampled_from([("0", "0"), ("0", "5")]))
def test_two_generates_at_once_end_as_one_after_the_other(
    fresh: bool, seeds: tuple[str, str]
) -> None:
    """Both runs succeed and the result is that of one of the two orders, run in turn."""
    with Workspace() as space:
        space.add(MINI, "knobs")
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
        base = ["-m", "generator", "-q", "generate", "--fast", *(["--fresh"] if fresh else [])]
        subprocess.run([sys.executable, *base], cwd=space.repo, env=env, check=True)
        _change_catalog(space.repo)
        start = space.base / "start"
        shutil.copytree(space.repo, start)
        argvs = [[sys.executable, *base, "--seed", seed] for seed in seeds]
        runs = [subprocess.Popen(a, cwd=space.repo, env=env) for a in argvs]
        assert [r.wait(timeout=120) for r in runs] == [0, 0]
        together = _tree(space.repo)
        orders = []
        for first, second in ((0, 1), (1, 0)):
            alone = space.base / f"order{first}"
            shutil.copytree(start, alone)
            for index in (first, second):
                subprocess.run(argvs[index], cwd=alone, env=env, check=True)
            orders.append(_tree(alone))
        assert together in orders
