"""Re-plot and re-report a finished comparison, without simulating:
``python -m experiments.report run_dir=<folder> 'scenarios=[baseline,merge_offices]' 'metrics=[headcount,rotations]' lang=vi``.

Reads the folder's tables (timeseries.parquet, runs.csv, summary.csv, comparison.yaml)
and writes figures/*.png, report.md (or report.vi.md with ``lang=vi``), report.xlsx and
the subset's summary.csv into a new subfolder ``<run_dir>/reports/<timestamp>/``.
The reference scenario is always kept.
"""

from __future__ import annotations

from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from experiments._cli import run_cli
from sim.output.comparison import load_report_data, select
from sim.output.comparison_report import write_report_files
from sim.params.schema_report import ReportJob


@hydra.main(config_path="../configs", config_name="report", version_base=None)
def main(cfg: DictConfig) -> None:
    job: ReportJob = OmegaConf.to_object(cfg)
    data = select(load_report_data(Path(job.run_dir)), job.scenarios, job.metrics)
    out = Path(HydraConfig.get().runtime.output_dir)
    data.table.to_csv(out / "summary.csv", index=False)
    write_report_files(out, data, lang=job.lang, per_panel=job.per_panel, source=Path(job.run_dir), figures=job.figures)
    print(f"report: {out / ('report.vi.md' if job.lang == 'vi' else 'report.md')}")


if __name__ == "__main__":
    run_cli(main)
