"""The package ships its configs: a built wheel holds configs/ as package data, and sim
composes its config from there when installed (not only from a source checkout)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from sim.params.schema import SHIPPED_SCENARIOS
from sim.params.search import CONFIG_DIR

ROOT = Path(__file__).resolve().parent.parent


def test_config_dir_is_the_top_level_folder_in_a_checkout():
    assert CONFIG_DIR == (ROOT / "configs").resolve()
    assert (ROOT / "sim" / "configs" / "config.yaml").resolve() == CONFIG_DIR / "config.yaml"


def test_mesa_is_pinned_below_4():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    mesa = next(d for d in deps if d.startswith("mesa"))
    assert ">=3.5" in mesa and "<4" in mesa  # Mesa 4 drops batch_run


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a copy of the checkout (the build writes build/ into its source);
    a few seconds once pip has setuptools cached."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in ("sim", "experiments", "configs"):
        shutil.copytree(ROOT / name, src / name, symlinks=True, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    out = tmp / "dist"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "-q", "-w", str(out)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    (found,) = out.glob("cadresim-*.whl")
    return found


def test_the_wheel_carries_the_configs(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (
        "config.yaml",
        "scenario/baseline.yaml",
        "scenario/order.txt",
        "policy/default.yaml",
        "org/thai_binh_2018.yaml",
    ):
        assert f"sim/configs/{path}" in names, f"sim/configs/{path} missing from {wheel.name}"
    shipped = {p.relative_to(ROOT / "configs").as_posix() for p in (ROOT / "configs").rglob("*") if p.is_file()}
    assert {f"sim/configs/{p}" for p in shipped} <= names


def test_an_installed_package_composes_its_config(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = "import sim; from sim.params.search import CONFIG_DIR; c = sim.load_config([]); print(CONFIG_DIR); print(c.scenario.name, len(c.scenarios))"
    env = {**os.environ, "PYTHONPATH": str(site)}  # before site-packages (and the editable install)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=elsewhere, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    config_dir, result = proc.stdout.split("\n")[:2]
    assert Path(config_dir) == (site / "sim" / "configs").resolve()
    assert result == f"baseline {len(SHIPPED_SCENARIOS)}"
