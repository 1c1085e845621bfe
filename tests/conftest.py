import copy
import functools
import os
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402
from clitools import InProcess  # noqa: E402

import sim  # noqa: E402


def pytest_xdist_make_scheduler(config, log):
    """Under pytest-xdist (``-n 2``; pyproject.toml sets ``--dist=loadscope``): a module
    that defines a module-scoped fixture (a simulation, a comparison, a built wheel)
    runs whole on one worker, so that the fixture is made once, not once per worker;
    the tests of every other module are spread one by one.

    (Not ``--dist=loadgroup`` with ``xdist_group`` marks: pytest-xdist 3.8 writes the
    group into ``item._nodeid``, which pytest 9.2 no longer reads, so the marks are
    silently ignored: pytest-xdist issue 1386.)"""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    root = Path(config.rootpath)

    @functools.cache
    def shares_a_module_fixture(module: str) -> bool:
        path = root / module
        return path.suffix == ".py" and 'scope="module"' in path.read_text(encoding="utf-8")

    class ModuleFixtureScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if shares_a_module_fixture(module) else nodeid

    return ModuleFixtureScheduling(config, log)


class _YamlOnce:
    """omegaconf's ``yaml`` module with ``load`` remembering what each text parsed to.

    Every Hydra composition parses the same YAML files again with PyYAML's pure-Python
    loader (about 15 % of a composition's CPU; the suite composes a few hundred times in
    each worker). Parsing is a pure function of the text: a text seen before gives a
    copy of its parse; a new text (an edited file, a test's own file) is parsed as
    always, and a parse that fails is never remembered, so YAML errors and their line
    and column come from a real parse. Everything else is the real module."""

    def __init__(self, module):
        self._module, self._seen = module, {}

    def __getattr__(self, name):
        return getattr(self._module, name)

    def load(self, stream, Loader=None):
        text = stream if isinstance(stream, str) else None
        if text is None and hasattr(stream, "read") and getattr(stream, "seekable", lambda: False)():
            at = stream.tell()
            text = stream.read()
            stream.seek(at)  # parsed from the stream itself below: its name is in error marks
        if text is None or not isinstance(text, str):
            return self._module.load(stream, Loader=Loader)
        if text in self._seen:
            return copy.deepcopy(self._seen[text])
        obj = self._module.load(stream, Loader=Loader)
        self._seen[text] = copy.deepcopy(obj)
        return obj


def _parse_yaml_once() -> None:
    import omegaconf.omegaconf as oc

    if not isinstance(oc.yaml, _YamlOnce):
        oc.yaml = _YamlOnce(oc.yaml)


_parse_yaml_once()


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


@pytest.fixture()
def no_figures(monkeypatch):
    """Runs and comparisons write no figures: for tests that check what a run computes
    or records, not what it draws (drawing is most of a short run's time; the figures
    themselves are checked in test_cli, test_compare, test_researcher, test_sweep,
    test_pipeline_plots and test_plots_style)."""
    from sim.output import comparison_report, report

    monkeypatch.setattr(comparison_report, "report_figures", lambda *a, **k: [])
    monkeypatch.setattr(report, "single_run_figures", lambda *a, **k: [])
