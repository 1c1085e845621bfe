"""The Solara app: ``solara run sim.dashboard.app`` (``python -m experiments.dashboard``
starts the same with the composed settings).

Two routes: ``/`` the live run, ``/compare`` the comparison explorer; a switch in the
bar changes the language of both (per browser session).
"""

from __future__ import annotations

import solara

from sim.dashboard.assets import offline_assets
from sim.dashboard.compare import ComparePage
from sim.dashboard.live import LivePage
from sim.dashboard.settings import from_env
from sim.dashboard.text import LANGS

SETTINGS = from_env()
ASSETS = offline_assets()  # the charts' JavaScript from the installed solara-assets, not a CDN
lang = solara.reactive(SETTINGS.lang)  # one value per browser session (Solara scopes it to the kernel)


@solara.component
def LanguageSwitch():
    with solara.AppBar():
        solara.ToggleButtonsSingle(value=lang, values=list(LANGS), dense=True)


@solara.component
def Live():
    LanguageSwitch()
    LivePage(SETTINGS, lang.value)


@solara.component
def Compare():
    LanguageSwitch()
    ComparePage(SETTINGS, lang.value)


routes = [
    solara.Route(path="/", component=Live, label="Live run · Mô phỏng"),
    solara.Route(path="compare", component=Compare, label="Compare · So sánh"),
]
