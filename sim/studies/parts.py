"""The part store: each finished run saved as one small parquet file, so that an
interrupted study resumes where it stopped.

A part is ``<label>__r<replicate:05d>.parquet``: the run's timeseries, with a JSON blob
in the file's metadata (under ``cadresim_run``) holding the label (stored as
``scenario``, the name earlier versions used), the replicate, the seed, the run's key
(a hash of its configuration and seed, see :func:`sim.studies.runner.run_key`) and its
summary. A part is reused only when its key matches the run asked for.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

PART_META_KEY = b"cadresim_run"


@dataclass
class RunOutput:
    """One finished run: its label (scenario, sample point ...), replicate number, seed,
    timeseries (one row per month, or None when not kept) and summary."""

    label: str
    replicate: int
    seed: int
    timeseries: pd.DataFrame | None
    summary: dict[str, float]

    @property
    def scenario(self) -> str:
        """The label, under the name a comparison gives it."""
        return self.label


class PartStore:
    """Finished runs saved one parquet file each in ``path`` (created if absent)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)

    def file(self, label: str, replicate: int) -> Path:
        return self.path / f"{label}__r{replicate:05d}.parquet"

    def save(self, out: RunOutput, key: str) -> None:
        """Write ``out`` (which must hold its timeseries) atomically under ``key``."""
        table = pa.Table.from_pandas(out.timeseries, preserve_index=False)
        meta = dict(table.schema.metadata or {})
        meta[PART_META_KEY] = json.dumps(
            {"scenario": out.label, "replicate": out.replicate, "seed": out.seed, "key": key, "summary": out.summary}
        ).encode()
        final = self.file(out.label, out.replicate)
        tmp = final.with_name(final.name + ".tmp")
        pq.write_table(table.replace_schema_metadata(meta), tmp)
        os.replace(tmp, final)  # atomic: a part exists whole or not at all

    def load(self, label: str, replicate: int, key: str) -> RunOutput | None:
        """The saved run, or None if absent, unreadable or made with another config."""
        f = self.file(label, replicate)
        if not f.exists():
            return None
        try:
            table = pq.read_table(f)
            meta = json.loads(table.schema.metadata[PART_META_KEY])
        except Exception:  # a damaged part is simply run again
            return None
        if meta.get("key") != key:
            return None
        return RunOutput(label, replicate, int(meta["seed"]), table.to_pandas(), meta["summary"])
