"""Serving Solara's JavaScript offline.

``solara-assets`` installs the browser libraries under ``<prefix>/share/solara/cdn``
with exact versions in their folder names (``vega@5.21.0``), while Solara's chart
widget asks for a major version (``vega@5``, ``vega-lite@5``, ``vega-embed@6``) and
would fetch that from the CDN, which an offline machine cannot reach: the charts stay
blank. :func:`offline_assets` makes a folder of links to every installed library plus
a ``name@<major>`` link to the newest installed version of each major that is missing,
and points Solara's asset proxy at it. Nothing in the installed package is changed.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path

_VERSIONED = re.compile(r"^(?P<name>.+)@(?P<major>\d+)\.(?P<minor>\d+)\.(?P<patch>\d+)$")


def major_aliases(names: list[str]) -> dict[str, str]:
    """``name@<major>`` -> the newest ``name@<major>.<minor>.<patch>`` among ``names``,
    for the majors that have no folder of their own."""
    best: dict[str, tuple[tuple[int, int], str]] = {}
    for n in names:
        m = _VERSIONED.match(n)
        if m:
            alias = f"{m['name']}@{m['major']}"
            key = (int(m["minor"]), int(m["patch"]))
            if alias not in best or key > best[alias][0]:
                best[alias] = (key, n)
    return {alias: target for alias, (_, target) in best.items() if alias not in names}


def _entries(source: Path) -> list[str]:
    """Top-level names, and the packages of npm scopes (``@widgetti/...``)."""
    out = []
    for p in sorted(source.iterdir()):
        if p.name.startswith("@") and p.is_dir():
            out.extend(f"{p.name}/{q.name}" for q in sorted(p.iterdir()))
        else:
            out.append(p.name)
    return out


def alias_folder(source: Path, target: Path | None = None) -> Path:
    """A folder of links to ``source``'s libraries plus the major-version aliases."""
    source = Path(source).resolve()
    if target is None:
        tag = hashlib.sha256(str(source).encode()).hexdigest()[:12]
        target = Path(tempfile.gettempdir()) / f"cadresim-solara-cdn-{tag}"
    target.mkdir(parents=True, exist_ok=True)
    names = _entries(source)
    links = {n: source / n for n in names}
    links.update({alias: source / real for alias, real in major_aliases(names).items()})
    for name, real in links.items():
        link = target / name
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() and link.resolve() == real.resolve():
            continue
        if link.is_symlink():
            link.unlink()
        if not link.exists():
            link.symlink_to(real, target_is_directory=real.is_dir())
    return target


def offline_assets() -> Path | None:
    """Point Solara's asset proxy at :func:`alias_folder` of the installed assets.
    Returns the folder, or None when ``solara-assets`` is not installed."""
    from solara.server import settings

    source = Path(settings.assets.proxy_cache_dir)
    if not source.is_dir() or not any(source.iterdir()):
        return None
    if source.name.startswith("cadresim-solara-cdn-"):
        return source  # already pointed here
    settings.assets.proxy_cache_dir = alias_folder(source)
    return settings.assets.proxy_cache_dir


__all__ = ["alias_folder", "major_aliases", "offline_assets"]
