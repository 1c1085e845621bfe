"""Schema of what a comparison's report shows (``report``; ``report.figures`` also for a
single run's folder), and of the re-report job
``python -m experiments.report`` (``configs/report.yaml``), which draws the figures and
writes the report of a finished comparison again, for a subset, without simulating."""

from __future__ import annotations

from dataclasses import dataclass

from sim.core.errors import ConfigError
from sim.params.declare import check_declared, par

LANGUAGES = ("en", "vi")
REPORT_LANGS = ("en", "vi", "both")


@dataclass
class ReportSpec:
    """What the report and figures of ``experiments.compare`` show."""

    lang: str = par(
        "both",
        choices=REPORT_LANGS,
        doc="report.md in English (en), report.vi.md in Vietnamese (vi), or both; figures in English unless vi",
    )
    scenarios: list[str] = par([], doc="scenarios shown in the report and figures (empty: every scenario run)")
    metrics: list[str] = par([], doc="timeseries metrics shown (empty: the key metrics of the registry)")
    per_panel: int = par(4, unit="scenarios", doc="most scenarios drawn in one time panel, besides the reference")
    figures: bool = par(
        True,
        doc="draw the figures (figures/*.png) and show them in the report; false: the tables and the report "
        "without figures, for runs whose figures nobody looks at (sweep jobs, tests); also read by experiments.run",
    )

    def __post_init__(self) -> None:
        check_declared(self, "report")
        if self.per_panel < 1:
            raise ConfigError(f"report.per_panel = {self.per_panel} must be >= 1")


@dataclass
class ReportJob(ReportSpec):
    """``experiments.report``: a finished comparison folder and what to show of it
    (registered with Hydra as ``report_schema`` by ``sim.params.schema.register``)."""

    run_dir: str = par("???", doc="the finished comparison's run folder (results/compare/<timestamp>)")
    lang: str = par("en", choices=LANGUAGES, doc="language of the report and the figures' words")

    def __post_init__(self) -> None:
        check_declared(self, "")
        if self.per_panel < 1:
            raise ConfigError(f"per_panel = {self.per_panel} must be >= 1")


__all__ = ["LANGUAGES", "REPORT_LANGS", "ReportJob", "ReportSpec"]
