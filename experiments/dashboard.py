"""The browser dashboard: ``python -m experiments.dashboard [dashboard.port=8765] [dashboard.host=127.0.0.1]``.

Composes ``configs/dashboard.yaml``, checks it (the port, the language, the live page's
parameters and ranges, the overrides it applies to every model), then serves the Solara
app ``sim.dashboard.app`` until interrupted: the live run at ``/``, the comparison
explorer at ``/compare``. The same app runs with ``solara run sim.dashboard.app``.
"""

from __future__ import annotations

import os

import hydra
from omegaconf import DictConfig, OmegaConf

from experiments._cli import run_cli
from sim.core.errors import ConfigError
from sim.dashboard.controls import controls, live_config
from sim.dashboard.settings import ENV, DashboardConfig, DashboardSpec, register, to_env

APP = "sim.dashboard.app"
register()


def settings_of(cfg: DictConfig) -> DashboardSpec:
    """The typed settings, checked: every parameter the live page offers has a control."""
    obj = OmegaConf.to_object(cfg)
    if not isinstance(obj, DashboardConfig):
        raise ConfigError("the composed config is not a DashboardConfig (is 'dashboard_schema' in the defaults list?)")
    spec = obj.dashboard
    controls(live_config({}, spec.overrides), spec.parameters, spec.ranges)
    return spec


def solara_args(spec: DashboardSpec) -> list[str]:
    return [APP, "--host", spec.host, "--port", str(spec.port), "--production", "--no-open"]


@hydra.main(config_path="../configs", config_name="dashboard", version_base=None)
def main(cfg: DictConfig) -> None:
    spec = settings_of(cfg)
    os.environ[ENV] = to_env(spec)
    from solara.__main__ import run as solara_run

    print(
        f"cadresim dashboard: http://{spec.host}:{spec.port}/ (live run), /compare (comparisons); Ctrl-C stops it",
        flush=True,
    )
    solara_run.main(args=solara_args(spec), prog_name="solara", standalone_mode=False)


if __name__ == "__main__":
    run_cli(main)
