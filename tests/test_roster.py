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


# --------------------------------------------------------------------------- unit rules (issue 11 item 4)
def _youth_head_row(df, where="P."):
    return df.index[(df.unit == f"{where}youth_union") & (df.post == "head")][0]


def test_roster_with_a_youth_union_leader_past_the_cap_is_refused(tmp_path, base_cfg):
    df = sim.synthetic_roster(base_cfg, seed=2)
    row = _youth_head_row(df)
    df.loc[row, "birth"] = "1970-01"  # 48 at the start; the cap in office is 40
    df.loc[row, "post_since"] = ""
    df.loc[row, "rank_since"] = ""
    path = _write(tmp_path, df)
    with pytest.raises(InputError) as err:
        _load(path)
    msg = str(err.value)
    assert f"line {row + 2}" in msg and "column 'birth'" in msg
    assert f"cadre '{df.loc[row, 'cadre_id']}' (head of P.youth_union) is 48 at the start" in msg
    assert "cap of 40 years in office" in msg and "Decision 289-QĐ/TW" in msg


def test_roster_with_a_man_leading_the_womens_union_warns_and_runs(tmp_path, base_cfg):
    from sim.world.roster_checks import RosterWarning

    df = sim.synthetic_roster(base_cfg, seed=2)
    row = df.index[(df.unit == "P.womens_union") & (df.post == "head")][0]
    df.loc[row, "sex"] = "M"
    path = _write(tmp_path, df)
    with pytest.warns(RosterWarning, match=rf"line {row + 2}, column 'sex': cadre '{df.loc[row, 'cadre_id']}' \(head of P.womens_union\): the unit's leaders are women"):
        model = _load(path)
    assert model.headcount == len(df)


def test_roster_with_a_late_first_appointment_warns(tmp_path, base_cfg):
    from sim.world.roster_checks import RosterWarning

    df = sim.synthetic_roster(base_cfg, seed=2)
    row = _youth_head_row(df)
    df.loc[row, "birth"] = "1979-09"  # 39 at the start: under the cap in office (40)
    df.loc[row, ["entry", "post_since", "rank_since"]] = ["2002-09", "2016-09", "2016-09"]  # appointed at 37 (cap 35)
    path = _write(tmp_path, df)
    with pytest.warns(RosterWarning, match="took the post at 37, above the unit's first-appointment cap of 35"):
        _load(path)


def test_roster_check_of_unit_rules_passes_the_synthetic_roster(tmp_path, base_cfg):
    import warnings

    df = sim.synthetic_roster(base_cfg, seed=5)
    path = _write(tmp_path, df)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _load(path).headcount == len(df)


def test_roster_row_for_a_concurrently_held_head_is_refused(tmp_path, small_roster):
    df = small_roster.copy()
    df.loc[0, "unit"], df.loc[0, "post"] = "P.pc_leadership", "head"
    path = _write(tmp_path, df)
    with pytest.raises(InputError, match=r"unit 'P.pc_leadership' has no head post of its own.*org.concurrent"):
        _load(path)
