"""The part store: each finished run saved as one small parquet file, so that an
interrupted study resumes where it stopped.

A part is ``<label>__r<replicate:05d>.parquet``: the run's timeseries, with a JSON blob
in the file's metadata (under ``cadresim_run``) holding the label (stored as
``scenario``, the name earlier versions used), the replicate, the seed, the run's key
(a hash of its configuration, the contents of its input files and its seed, see
:func:`sim.studies.runner.run_key`), its summary and a checksum. A part is reused only
when its key matches the run asked for and its checksum matches its data.

**Integrity.** Two checks guard against a damaged file (a flipped bit, a torn copy):
Parquet's page checksums (CRC32 of each data page, verified as the file is read) and a
sha256 over the decoded table and the summary, stored in the metadata and verified
after reading. A part that fails either is run again, and :attr:`PartStore.problems`
says which and why.

Temporary files have unique names (process id and a random suffix), so two writers
never write the same temporary file.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from contextlib import suppress
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


def part_checksum(ts: pd.DataFrame, summary: dict, seed: int, key: str) -> str:
    """sha256 of a part's content: column names and dtypes, every value (row hashes of
    pandas), the summary, the seed and the key."""
    h = hashlib.sha256()
    h.update(json.dumps([[str(c), str(t)] for c, t in ts.dtypes.items()]).encode())
    h.update(pd.util.hash_pandas_object(ts, index=False).to_numpy().tobytes())
    h.update(json.dumps({"summary": summary, "seed": int(seed), "key": key}, sort_keys=True).encode())
    return h.hexdigest()


class PartStore:
    """Finished runs saved one parquet file each in ``path`` (created if absent).

    ``problems``: file name -> why a part that exists was not used (damaged, checksum
    mismatch); parts made with another config are not problems, just stale.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.problems: dict[str, str] = {}

    def file(self, label: str, replicate: int) -> Path:
        return self.path / f"{label}__r{replicate:05d}.parquet"

    def save(self, out: RunOutput, key: str) -> None:
        """Write ``out`` (which must hold its timeseries) atomically under ``key``."""
        table = pa.Table.from_pandas(out.timeseries, preserve_index=False)
        meta = dict(table.schema.metadata or {})
        meta[PART_META_KEY] = json.dumps(
            {
                "scenario": out.label,
                "replicate": out.replicate,
                "seed": int(out.seed),
                "key": key,
                "summary": out.summary,
                "checksum": part_checksum(out.timeseries, out.summary, out.seed, key),
            }
        ).encode()
        final = self.file(out.label, out.replicate)
        tmp = final.with_name(f".{final.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            pq.write_table(table.replace_schema_metadata(meta), tmp, write_page_checksum=True)
            os.replace(tmp, final)  # atomic: a part exists whole or not at all
        except OSError as err:
            if err.filename is None:  # pyarrow's errors name no file: name it
                raise OSError(err.errno, err.strerror or str(err), str(tmp)) from err
            raise
        finally:
            with suppress(OSError):
                tmp.unlink()

    def load(self, label: str, replicate: int, key: str) -> RunOutput | None:
        """The saved run, or None if absent, damaged or made with another config."""
        f = self.file(label, replicate)
        if not f.exists():
            return None
        try:
            table = pq.read_table(f, page_checksum_verification=True)
            meta = json.loads(table.schema.metadata[PART_META_KEY])
            ts = table.to_pandas()
        except Exception as err:  # a damaged part is run again
            self.problems[f.name] = f"unreadable ({type(err).__name__}: {str(err)[:120]})"
            return None
        if meta.get("key") != key:
            return None
        expected = meta.get("checksum")
        try:
            actual = part_checksum(ts, meta["summary"], meta["seed"], key)
        except (KeyError, TypeError, ValueError) as err:
            self.problems[f.name] = f"unreadable metadata ({type(err).__name__})"
            return None
        if expected != actual:
            self.problems[f.name] = "checksum mismatch (the file's data changed after it was saved)"
            return None
        return RunOutput(label, replicate, int(meta["seed"]), ts, meta["summary"])
