import os

os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402
from clitools import InProcess  # noqa: E402

import sim  # noqa: E402


@pytest.fixture(scope="session")
def base_cfg():
    """The default configuration (Thái Bình 2018, baseline, full horizon)."""
    return sim.load_config([])


@pytest.fixture(scope="session")
def short_cfg():
    """Default organisation over a short horizon, for quick model tests."""
    return sim.load_config(["end=2020-12"])


@pytest.fixture()
def in_process(monkeypatch, tmp_path):
    """Run a command line in this process: ``in_process("experiments.run", "seed=2")``
    returns a clitools.Outcome (exit code, stdout, stderr, run folder under tmp_path)."""
    return InProcess(monkeypatch, tmp_path)
