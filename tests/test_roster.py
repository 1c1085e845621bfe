"""Synthetic roster export and the roster-CSV loader."""

import numpy as np
import pandas as pd
import pytest

import sim
from sim.core.errors import InputError
from sim.model import CadreModel
from sim.world.roster import COLUMNS


def test_synthetic_roster_schema_and_counts(base_cfg):
    df = sim.synthetic_roster(base_cfg)
    assert list(df.columns) == COLUMNS
    assert df["cadre_id"].is_unique
    assert 3800 < len(df) < 4200
    assert set(df["sex"]) == {"M", "F"}
    # leaders are older than specialists on average
    age = 2018.7 - df["birth"].str[:4].astype(int)
    assert age[df.post == "head"].mean() > age[df.post == "specialist"].mean() + 5
    # women are a minority among heads and near half of specialists
    assert (df.loc[df.post == "head", "sex"] == "F").mean() < 0.3
    assert 0.35 < (df.loc[df.post == "specialist", "sex"] == "F").mean() < 0.55


def test_synthetic_roster_round_trips_through_csv(base_cfg, tmp_path):
    df = sim.synthetic_roster(base_cfg, seed=4)
    path = tmp_path / "roster.csv"
    df.to_csv(path, index=False)
    cfg = sim.load_config([f"roster={path}", "end=2019-06"])
    model = CadreModel(cfg)
    assert model.headcount == len(df)
    # same people, same birth months, same posts as the file
    got = pd.DataFrame({"cadre_id": model.people.cadre_ids, "birth": model.people.birth[: model.people.n]})
    want = df["birth"].map(sim.core.calendar.parse_month)
    assert np.array_equal(got["birth"].to_numpy(), want.to_numpy())
    model.run()
    assert model.headcount > 0


def _write(tmp_path, df, name="roster.csv"):
    path = tmp_path / name
    df.to_csv(path, index=False)
    return path


def _load(path):
    cfg = sim.load_config([f"roster={path}"])
    return CadreModel(cfg)


@pytest.fixture()
def small_roster(base_cfg):
    return sim.synthetic_roster(base_cfg).head(50).copy()


def test_missing_column(tmp_path, small_roster):
    path = _write(tmp_path, small_roster.drop(columns=["sex"]))
    with pytest.raises(InputError, match=r"roster.csv, line 1: missing column\(s\) sex"):
        _load(path)


def test_unparseable_date(tmp_path, small_roster):
    small_roster.loc[3, "birth"] = "1970/05"
    path = _write(tmp_path, small_roster)
    with pytest.raises(InputError, match=r"line 5, column 'birth': '1970/05' is not a month"):
        _load(path)


def test_duplicate_id(tmp_path, small_roster):
    small_roster.loc[7, "cadre_id"] = small_roster.loc[2, "cadre_id"]
    path = _write(tmp_path, small_roster)
    with pytest.raises(InputError, match=r"line 9, column 'cadre_id': duplicate cadre_id"):
        _load(path)


def test_unknown_unit(tmp_path, small_roster):
    small_roster.loc[0, "unit"] = "P.ministry_of_magic"
    path = _write(tmp_path, small_roster)
    with pytest.raises(InputError, match=r"line 2, column 'unit': unknown unit 'P.ministry_of_magic'"):
        _load(path)
