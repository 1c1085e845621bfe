"""Scenario names are found on the config search path, never listed in code: the package's
configs/scenario/ plus any folder added with hydra.searchpath."""

from __future__ import annotations

import dataclasses

import pytest
import yaml

import sim
from sim.core.errors import ConfigError
from sim.params.compose import CONFIG_DIR, compose, load_config, scenario_names, to_sim_config
from sim.params.schema import SHIPPED_SCENARIOS, SimConfig
from sim.params.search import ORDER_FILE

# the order of the default comparison before the names were found from the folder
TODAY = [
    "baseline",
    "concurrent_heads",
    "merge_party_state",
    "mass_mobilisation_front",
    "enterprise_bloc",
    "merge_departments",
    "merge_offices",
    "all_pilots",
    "thai_binh_2019",
    "reform_2025",
]


@pytest.fixture()
def user_dir(tmp_path):
    """A folder of one's own with a scenario "mine" (no actions)."""
    conf = tmp_path / "conf"
    (conf / "scenario").mkdir(parents=True)
    scenario = {"name": "mine", "description": "one of my own", "source": "estimate", "actions": []}
    (conf / "scenario" / "mine.yaml").write_text(yaml.safe_dump(scenario))
    return conf


def test_shipped_names_are_the_files_in_a_stable_order():
    files = {p.stem for p in (CONFIG_DIR / "scenario").glob("*.yaml")}
    assert set(SHIPPED_SCENARIOS) == files
    assert list(SHIPPED_SCENARIOS) == scenario_names() == SimConfig().scenarios
    assert list(SHIPPED_SCENARIOS)[: len(TODAY)] == TODAY  # the default comparison is unchanged


def test_the_default_comparison_runs_every_shipped_scenario():
    assert sim.load_config([]).scenarios == list(SHIPPED_SCENARIOS)


def test_the_order_file_names_only_existing_files_and_all_of_them():
    lines = (CONFIG_DIR / "scenario" / ORDER_FILE).read_text(encoding="utf-8").splitlines()
    listed = [line.split("#", 1)[0].strip() for line in lines]
    listed = [n for n in listed if n]
    assert len(listed) == len(set(listed))
    assert set(listed) == set(SHIPPED_SCENARIOS), "configs/scenario/order.txt and the scenario files differ"


def test_a_scenario_in_a_searched_folder_is_accepted(user_dir):
    cfg = load_config([f"hydra.searchpath=[file://{user_dir}]", "scenarios=[baseline,mine]"])
    assert cfg.scenarios == ["baseline", "mine"]
    one = load_config([f"hydra.searchpath=[file://{user_dir}]", "scenario=mine"])
    assert one.scenario.name == "mine" and one.scenario.actions == []


def test_an_unknown_name_is_refused_with_the_valid_ones():
    with pytest.raises(ConfigError) as err:
        load_config(["scenarios=[baseline,nonesuch]"])
    assert str(err.value) == f"scenarios: unknown name(s) nonesuch; valid: {', '.join(SHIPPED_SCENARIOS)}"


def test_a_user_scenario_is_unknown_without_its_folder(user_dir):
    with pytest.raises(ConfigError, match=r"scenarios: unknown name\(s\) mine; valid: baseline"):
        load_config(["scenarios=[baseline,mine]"])


def test_to_sim_config_takes_the_search_path(user_dir):
    cfg = compose([f"hydra.searchpath=[file://{user_dir}]", "scenarios=[baseline,mine]"])
    assert "hydra" not in cfg
    assert to_sim_config(cfg, search_path=[CONFIG_DIR, user_dir]).scenarios == ["baseline", "mine"]
    with pytest.raises(ConfigError, match=r"unknown name\(s\) mine"):
        to_sim_config(cfg)  # outside a Hydra job the package's folder is the search path


def test_scenario_names_reads_hydra_style_entries(user_dir):
    assert scenario_names([f"file://{CONFIG_DIR}", f"file://{user_dir}"]) == [*SHIPPED_SCENARIOS, "mine"]
    assert scenario_names(["pkg://sim.configs"]) == list(SHIPPED_SCENARIOS)
    assert scenario_names(["structured://", "pkg://no_such_module_here", user_dir / "absent"]) == []


def test_a_folder_orders_its_own_names_and_repeats_are_dropped(tmp_path):
    conf = tmp_path / "conf"
    (conf / "scenario").mkdir(parents=True)
    for name in ("zeta", "alpha", "baseline", "mid"):
        (conf / "scenario" / f"{name}.yaml").write_text(f"name: {name}\n")
    (conf / "scenario" / ORDER_FILE).write_text("# mine\nzeta\nnot_a_file\nzeta\n")
    assert scenario_names([conf]) == ["zeta", "alpha", "baseline", "mid"]
    assert scenario_names([CONFIG_DIR, conf])[-3:] == ["zeta", "alpha", "mid"]


def test_a_command_line_run_accepts_a_user_scenario_in_scenarios(in_process, user_dir):
    out = in_process(
        "experiments.run", f"hydra.searchpath=[file://{user_dir}]", "scenarios=[baseline,mine]", "end=2019-01"
    )
    assert out.code == 0, out.stderr
    bad = in_process("experiments.run", "scenarios=[baseline,mine]", "end=2019-01")
    assert bad.code == 2 and "scenarios: unknown name(s) mine; valid: baseline" in bad.stderr


def test_direct_construction_does_not_check_names():
    # the check needs the search path, which only composition knows
    cfg = dataclasses.replace(sim.load_config(["end=2019-06"]), scenarios=["anything"])
    assert cfg.scenarios == ["anything"]
