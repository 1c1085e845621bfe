"""The config folders: where the package's own ``configs/`` is, and which scenario names
a config search path offers.

A scenario name is the stem of a ``scenario/*.yaml`` file in any folder of the search
path: the package's ``configs/`` and every folder a user adds with
``hydra.searchpath=[file://...]``. No list of names is kept in code.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Iterable
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # the installed or checked-out ``sim`` package


def _config_dir() -> Path:
    # A built wheel carries the configs as package data (sim/configs); a source checkout
    # has the top-level configs/ folder, which sim/configs points to.
    packaged = _PACKAGE / "configs"
    if (packaged / "config.yaml").is_file():
        return packaged.resolve()
    return _PACKAGE.parent / "configs"


CONFIG_DIR = _config_dir()
SCENARIO_GROUP = "scenario"
# Optional file in a scenario folder: the order in which its names are listed
# (one name a line, ``#`` comments); names not in it follow, alphabetically.
ORDER_FILE = "order.txt"


def _as_dir(entry: str | Path) -> Path | None:
    """A search-path entry as a local folder: a path, ``file://<path>`` or ``pkg://<module>``."""
    text = str(entry)
    if text.startswith("file://"):
        return Path(text[len("file://") :])
    if text.startswith("pkg://"):
        module = text[len("pkg://") :].replace("/", ".").strip(".")
        try:
            spec = importlib.util.find_spec(module)
        except (ImportError, ValueError):
            return None
        locations = list(spec.submodule_search_locations or []) if spec is not None else []
        return Path(locations[0]) if locations else None
    if "://" in text:  # structured:// (ConfigStore) and other providers hold no files
        return None
    return Path(text)


def _names_in(folder: Path) -> list[str]:
    """Scenario names of one folder: those of its order file first, then the rest sorted."""
    group = folder / SCENARIO_GROUP
    if not group.is_dir():
        return []
    stems = {p.stem for p in group.glob("*.yaml")}
    order_file = group / ORDER_FILE
    listed: list[str] = []
    if order_file.is_file():
        for line in order_file.read_text(encoding="utf-8").splitlines():
            name = line.split("#", 1)[0].strip()
            if name in stems and name not in listed:
                listed.append(name)
    return listed + sorted(stems - set(listed))


def scenario_names(search_path: Iterable[str | Path] | None = None) -> list[str]:
    """The scenario names found on a config search path, without repeats.

    Args:
        search_path: folders holding a ``scenario/`` group, as paths or as Hydra writes
            them (``file:///abs/dir``, ``pkg://module``), in Hydra's order; None means
            the package's ``configs/`` only.

    Returns:
        Each folder's names in its order (see ``ORDER_FILE``), folder by folder.
    """
    folders = [CONFIG_DIR] if search_path is None else [d for d in map(_as_dir, search_path) if d is not None]
    out: list[str] = []
    for folder in folders:
        out.extend(n for n in _names_in(folder) if n not in out)
    return out


@functools.cache
def _shipped() -> tuple[str, ...]:
    return tuple(scenario_names())


def shipped_scenarios() -> list[str]:
    """The scenarios shipped in the package's ``configs/scenario/``, in their stable order
    (``configs/scenario/order.txt``): the default of ``scenarios``."""
    return list(_shipped())


__all__ = ["CONFIG_DIR", "ORDER_FILE", "scenario_names", "shipped_scenarios"]
