"""A comparison's run folder: exports, figures and the reports (no simulation here).

:func:`write_comparison_files` writes a :class:`~sim.output.comparison.Comparison` into
a run folder (parquet, csv, ``comparison.yaml`` with what was run) and then the
figures, ``report.md`` / ``report.vi.md`` and ``report.xlsx`` through
:func:`write_report_files`, which reads only the folder's tables, so that
``python -m experiments.report`` can draw and write them again for a subset.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from sim.metrics import BY_NAME
from sim.output.comparison import (
    HEADLINE_PIPELINE,
    HEADLINE_STAFFING,
    META_FILE,
    TABLE_COLUMNS,
    Comparison,
    ReportData,
    comparison_meta,
    load_report_data,
    outcome_keys,
    select,
    summary_key,
)
from sim.output.glossary import glossary_markdown, phrase, unit_text
from sim.plots import comparison as compare_plots
from sim.plots import pipeline as pipeline_plots
from sim.plots import style
from sim.plots.style import save


def write_comparison_files(
    out: Path, comp: Comparison, table: pd.DataFrame, cfgs: dict, base_cfg, overrides: list[str], command: str
) -> list[str]:
    """Write timeseries.parquet and .csv, runs.csv, summary.csv (``table``),
    comparison.yaml, figures/*.png, report.md / report.vi.md and report.xlsx into
    ``out``; returns the figure file names. ``base_cfg.report`` says what is shown."""
    out = Path(out)
    comp.timeseries.to_parquet(out / "timeseries.parquet", index=False)
    comp.timeseries.to_csv(out / "timeseries.csv", index=False)
    comp.runs.to_csv(out / "runs.csv", index=False)
    table.to_csv(out / "summary.csv", index=False)
    meta = comparison_meta(comp, table, cfgs, base_cfg, overrides, command, out)
    (out / META_FILE).write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True), encoding="utf-8")
    data = ReportData(comp.timeseries, comp.runs, table, meta)
    spec = getattr(base_cfg, "report", None)
    if spec is not None:
        data = select(data, spec.scenarios, spec.metrics)
    return write_report_files(
        out,
        data,
        lang=spec.lang if spec is not None else "both",
        per_panel=spec.per_panel if spec is not None else 4,
        figures=spec.figures if spec is not None else True,
    )


def closing_lines(out: Path, lang: str = "both") -> list[str]:
    """What the main job prints at the end: each scenario's largest clear effect with its
    interval (see :func:`headline_lines`), the report's path and the run folder."""
    out = Path(out)
    report = "report.vi.md" if lang == "vi" else "report.md"
    return [*headline_lines(load_report_data(out)), f"report: {out / report}", f"run folder: {out}"]


# --------------------------------------------------------------------------- numbers in words
def _is_share_key(key: str) -> bool:
    return style.is_share(style.summary_parts(key)[0])


def _num(x: float, lang: str, digits: int = 3) -> str:
    if x is None or not np.isfinite(x):
        return "–"
    if abs(x) >= 100 or float(x).is_integer():
        text = f"{x:,.0f}"
    else:
        text = f"{x:.{digits}g}"
    if lang == "vi":  # Vietnamese: "." groups thousands, "," is the decimal mark
        text = text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return text


def fmt_value(key: str, x: float, lang: str = "en", *, diff: bool = False) -> str:
    """A summary value for a table: shares as % (differences in percentage points)."""
    if x is None or not np.isfinite(x):
        return "–"
    if _is_share_key(key):
        v = 100.0 * x
        text = _num(round(v, 1), lang)
        sign = "+" if diff and v > 0 else ""
        return f"{sign}{text} {phrase('pp', lang)}" if diff else f"{text} %"
    sign = "+" if diff and x > 0 else ""
    return f"{sign}{_num(x, lang)}"


def unit_of(key: str, lang: str = "en") -> str:
    """The unit a table states beside a summary key's label."""
    if _is_share_key(key):
        return "%"
    return unit_text(style.summary_unit(key), lang)


def label_of(key: str, lang: str = "en") -> str:
    return style.with_unit(style.summary_text(key, lang), unit_of(key, lang))


def _vnd(data: ReportData, key: str, x: float, lang: str, diff: bool = False) -> str:
    """`` (≈ 2.9 bn VND)`` beside a wage-bill value in base salaries; "" otherwise."""
    base = data.meta.get("run", {}).get("base_salary_vnd_end")
    if key != "wage_bill_end" or not base or x is None or not np.isfinite(x):
        return ""
    v = x * base / 1e9
    sign = "+" if diff and v > 0 else ""
    return f" ≈ {sign}{_num(round(v, 2), lang)} {phrase('bn_vnd', lang)}"


def _excludes_zero(r) -> bool:
    lo, hi = r["diff_ci_low"], r["diff_ci_high"]
    return bool(np.isfinite(lo) and np.isfinite(hi) and (lo > 0 or hi < 0))


# --------------------------------------------------------------------------- the paragraph
def _effects(data: ReportData, keys: list[str]) -> pd.DataFrame:
    """Differences from the reference of ``keys``, with a size relative to the reference."""
    t = data.table[(data.table["scenario"] != data.reference) & data.table["metric"].isin(keys)].copy()
    if t.empty:
        return t.assign(size=[], clear=[])
    ref_mean = data.table[data.table["scenario"] == data.reference].set_index("metric")["mean"]
    scale = t["metric"].map(ref_mean).abs().replace(0, np.nan)
    t["size"] = (t["diff_mean"].abs() / scale).fillna(0.0)
    t["clear"] = t.apply(_excludes_zero, axis=1)
    return t


def _headline_keys(data: ReportData) -> list[str]:
    present = set(data.table["metric"])
    keys = [summary_key(m) for m in (*HEADLINE_STAFFING, *HEADLINE_PIPELINE) if m in BY_NAME]
    if data.metrics:
        keys = [summary_key(m) for m in data.metrics] + keys
    return [k for k in dict.fromkeys(keys) if k in present]


def _effect_text(data: ReportData, r, lang: str) -> str:
    key = r["metric"]
    vnd = _vnd(data, key, r["diff_mean"], lang, diff=True)
    unit = "" if _is_share_key(key) else f" {unit_of(key, lang)}"
    return phrase(
        "effect",
        lang,
        scenario=r["scenario"],
        what=style.summary_text(key, lang),
        value=fmt_value(key, r["diff_mean"], lang, diff=True) + unit + vnd,
        lo=fmt_value(key, r["diff_ci_low"], lang, diff=True),
        hi=fmt_value(key, r["diff_ci_high"], lang, diff=True),
    )


def what_it_shows(data: ReportData, lang: str = "en", per_scenario: int = 2) -> str:
    """The "what this comparison shows" paragraph, from the numbers: each scenario's
    largest clear effects (relative to the reference's level) with their 90 % intervals,
    and the scenarios whose headline effects are all within noise."""
    ref, end = data.reference, data.meta.get("run", {}).get("end", "")
    eff = _effects(data, _headline_keys(data))
    parts = []
    if eff.empty:
        return phrase("noise", lang, names="–")
    items, quiet = [], []
    for s in [s for s in data.scenarios if s != ref]:
        e = eff[(eff["scenario"] == s) & eff["clear"]].sort_values("size", ascending=False)
        if e.empty:
            quiet.append(s)
            continue
        items.append(
            (float(e["size"].iloc[0]), [_effect_text(data, r, lang) for _, r in e.head(per_scenario).iterrows()])
        )
    items.sort(key=lambda x: -x[0])
    if items:
        parts.append(
            phrase("largest", lang, ref=f"**{ref}**", end=end, items="; ".join("; ".join(t) for _, t in items))
        )
    if quiet:
        parts.append(phrase("noise", lang, names=", ".join(f"**{s}**" for s in quiet)))
    reps = len(data.meta.get("run", {}).get("seeds", [])) or int(data.table["n"].max())
    if reps < 10:
        parts.append(phrase("few_reps", lang, reps=reps))
    return " ".join(parts)


def headline_lines(data: ReportData, n: int = 5, lang: str = "en") -> list[str]:
    """A few terminal lines: the largest clear effect of each scenario (up to ``n``
    scenarios, largest first), with its 90 % interval."""
    eff = _effects(data, _headline_keys(data))
    if eff.empty:
        return []
    # each scenario's largest clear effect, the largest first
    eff = eff[eff["clear"]].sort_values("size", ascending=False).drop_duplicates("scenario").head(n)
    out = []
    for _, r in eff.iterrows():
        key = r["metric"]
        unit = "" if _is_share_key(key) else f" {unit_of(key, lang)}"
        out.append(
            f"{r['scenario']} vs {data.reference}: {style.summary_text(key, lang)} "
            f"{fmt_value(key, r['diff_mean'], lang, diff=True)}{unit}"
            f" [90% CI {fmt_value(key, r['diff_ci_low'], lang, diff=True)}, {fmt_value(key, r['diff_ci_high'], lang, diff=True)}]"
        )
    return out


def baseline_story(data: ReportData, lang: str = "en") -> str:
    """The reference's own trends from start to end, and the roadmap's part when the
    no-retirement-roadmap variant was run."""
    ref = data.reference
    ts = data.timeseries[data.timeseries["scenario"] == ref]
    if ts.empty:
        return ""
    months = sorted(ts["month"].unique())
    first, last = ts[ts["month"] == months[0]], ts[ts["month"] == months[-1]]
    items = []
    for m in ("leaders_mean_age", "leaders_under40_share", "leaders_women_share", "headcount", "leader_posts"):
        if m not in ts.columns:
            continue
        key = f"{m}_end"
        a, b = first[m].mean(), last[m].mean()
        unit = "" if style.is_share(m) else f" {unit_text(style.metric_unit(m), lang)}"
        items.append(
            phrase(
                "from_to",
                lang,
                what=style.metric_text(m, lang),
                a=fmt_value(key, a, lang) + unit,
                b=fmt_value(key, b, lang) + unit,
            )
        )
    text = phrase("baseline_text", lang, ref=f"**{ref}**", start=months[0], end=months[-1], items="; ".join(items))
    variant = "no_retirement_roadmap"
    t = data.table.set_index(["scenario", "metric"])
    for key in ("leaders_mean_age_end", "leaders_under40_share_end"):
        if (variant, key) in t.index and variant != ref:
            r = t.loc[(variant, key)]
            unit = "" if _is_share_key(key) else f" {unit_of(key, lang)}"
            text += " " + phrase(
                "roadmap_effect",
                lang,
                name=f"**{variant}**",
                what=style.summary_text(key, lang),
                value=fmt_value(key, r["diff_mean"], lang, diff=True) + unit,
                lo=fmt_value(key, r["diff_ci_low"], lang, diff=True),
                hi=fmt_value(key, r["diff_ci_high"], lang, diff=True),
            )
    return text


# --------------------------------------------------------------------------- tables
def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def level_frame(data: ReportData, lang: str = "en") -> pd.DataFrame:
    """Measures as rows, scenarios as columns: "mean [p5 to p95]" in plain units."""
    t = data.table.set_index(["scenario", "metric"])
    rows = {}
    for key in outcome_keys(data):
        cells = {}
        for s in data.scenarios:
            r = t.loc[(s, key)]
            cells[s] = (
                f"{fmt_value(key, r['mean'], lang)} [{fmt_value(key, r['p5'], lang)}, {fmt_value(key, r['p95'], lang)}]"
                + _vnd(data, key, r["mean"], lang)
            )
        rows[label_of(key, lang)] = cells
    return pd.DataFrame.from_dict(rows, orient="index", columns=data.scenarios)


def difference_frame(data: ReportData, lang: str = "en") -> pd.DataFrame:
    """Measures as rows, scenarios other than the reference as columns: paired mean
    difference [90 % interval]; ``~`` marks an interval that includes zero."""
    t = data.table.set_index(["scenario", "metric"])
    others = [s for s in data.scenarios if s != data.reference]
    rows = {}
    for key in outcome_keys(data):
        cells = {}
        for s in others:
            r = t.loc[(s, key)]
            mark = "" if _excludes_zero(r) or not np.isfinite(r["diff_ci_low"]) else "~ "
            cells[s] = (
                f"{mark}{fmt_value(key, r['diff_mean'], lang, diff=True)} "
                f"[{fmt_value(key, r['diff_ci_low'], lang, diff=True)}, {fmt_value(key, r['diff_ci_high'], lang, diff=True)}]"
                + _vnd(data, key, r["diff_mean"], lang, diff=True)
            )
        rows[label_of(key, lang)] = cells
    return pd.DataFrame.from_dict(rows, orient="index", columns=others)


def markdown_tables(frame: pd.DataFrame, first: str, lang: str = "en", width: int = TABLE_COLUMNS) -> str:
    """A wide frame as Markdown tables of at most ``width`` scenario columns each."""
    if frame.shape[1] == 0:
        return ""
    parts = _chunks(list(frame.columns), width)
    out = []
    for k, cols in enumerate(parts, 1):
        head = f"*{phrase('part', lang, k=k, n=len(parts))}*\n\n" if len(parts) > 1 else ""
        lines = [f"| {first} | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
        lines += [f"| {idx} | " + " | ".join(str(row[c]) for c in cols) + " |" for idx, row in frame.iterrows()]
        out.append(head + "\n".join(lines))
    return "\n\n".join(out)


def scenario_list(data: ReportData, lang: str = "en") -> str:
    info = data.meta.get("scenarios", {})
    lines = []
    for s in data.scenarios:
        i = info.get(s, {})
        changes = [phrase("actions_n", lang, n=i["actions"]) if i.get("actions") else phrase("no_actions", lang)]
        if i.get("policy_keys"):
            flat = ", ".join(f"`{k}`" for k in i["policy_keys"])
            changes.append(phrase("policy_set", lang, keys=flat))
        src = f" {phrase('source', lang)}: {i['source'].rstrip('.')}." if i.get("source") else ""
        desc = (i.get("description") or "–").rstrip(".")
        lines.append(f"- **{s}**: {desc}. *{phrase('changes', lang)}:* {'; '.join(changes)}.{src}")
    return "\n".join(lines)


def policy_section(data: ReportData, lang: str = "en") -> str:
    run = data.meta.get("run", {})
    pol = run.get("policy_overrides") or []
    if not pol:
        return phrase("policy_none", lang)
    text = phrase("policy_all_text", lang, items=", ".join(f"`{o}`" for o in pol))
    keys = {o.split("=", 1)[0].lstrip("+~") for o in pol}
    for s in data.scenarios:
        own = [k for k in data.meta.get("scenarios", {}).get(s, {}).get("policy_keys", []) if k in keys]
        if own:
            text += " " + phrase("policy_shadow", lang, name=f"**{s}**", keys=", ".join(f"`{k}`" for k in own))
    return text


def sources_list(data: ReportData, lang: str = "en") -> str:
    """The texts the scenarios and the report's units rest on, by name."""
    found = []
    for s in data.scenarios:
        src = data.meta.get("scenarios", {}).get(s, {}).get("source")
        if src:
            found.append(f"- {s}: {src}")
    run = data.meta.get("run", {})
    if run.get("base_salary_decree"):
        found.append(f"- base salary / lương cơ sở: {run['base_salary_decree']} (Decrees 24/2023/NĐ-CP, 73/2024/NĐ-CP)")
    found.append("- succession pool targets / chỉ tiêu quy hoạch: Regulation 50-QĐ/TW (2021)")
    return "\n".join(found)


# --------------------------------------------------------------------------- the files
def report_figures(data: ReportData, figdir: Path, lang: str = "en", per_panel: int = 4) -> list[str]:
    """Save the comparison's figures into ``figdir``; returns their file names."""
    figdir = Path(figdir)
    figdir.mkdir(parents=True, exist_ok=True)
    ts, table, ref = data.timeseries, data.table, data.reference
    targets = data.meta.get("run", {}).get("targets", {})
    base = data.meta.get("run", {}).get("base_salary_vnd_end")
    apart = data.abolishing()
    regular = [s for s in data.scenarios if s != ref and s not in apart]
    made = []
    head = [summary_key(m) for m in (*HEADLINE_STAFFING, *HEADLINE_PIPELINE) if m in BY_NAME]
    head = [k for k in head if k in set(table["metric"])]
    groups = {"staffing": [k for k in head if style.summary_parts(k)[0] in HEADLINE_STAFFING]}
    groups["pipeline"] = [k for k in head if k not in groups["staffing"]]
    scales = {"wage_bill_end": (base / 1e9, "bn VND per month")} if base else {}
    for name, scen in (("headline.png", regular), ("headline_level_abolished.png", apart)):
        if scen and head:
            title = phrase("headline_fig", lang, end=data.meta["run"]["end"], ref=ref)
            if scen is apart:
                title += f"; {phrase('level_abolished', lang)}"
            fig = compare_plots.headline_effects(table, groups, scen, ref=ref, lang=lang, scales=scales, title=title)
            made.append(save(fig, figdir / name))
    metrics = data.metrics or [m for m in compare_plots.TIME_METRICS if m in ts.columns]
    made.append(
        save(
            compare_plots.metrics_over_time(
                ts, metrics, reference=ref, apart=apart, per_panel=per_panel, lang=lang, targets=targets
            ),
            figdir / "metrics_over_time.png",
        )
    )
    outcomes = outcome_keys(data)
    for name, scen in (("differences_from_reference.png", regular), ("differences_level_abolished.png", apart)):
        if scen:
            t = table[table["scenario"].isin([ref, *scen])]
            made.append(save(compare_plots.end_differences(t, outcomes, lang=lang), figdir / name))
    if any(c in ts.columns for c in pipeline_plots.PANEL_COLUMNS):
        # one pipeline figure per group of at most per_panel scenarios beside the reference
        for k, group in enumerate(compare_plots.scenario_groups(data.scenarios, ref, apart, per_panel)):
            fig = pipeline_plots.pipeline_panel(
                ts[ts["scenario"].isin([ref, *group])],
                women_target=targets.get("pool_women_share", 0.25),
                young_target=targets.get("pool_under40_share", 0.15),
                lang=lang,
            )
            made.append(save(fig, figdir / ("pipeline.png" if k == 0 else f"pipeline_{k + 1}.png")))
    if pipeline_plots.congress_columns(data.runs.columns):
        made.append(
            save(
                pipeline_plots.congress_bars(
                    data.runs,
                    targets={
                        "share_women": targets.get("congress_share_women"),
                        "pool_women_share": targets.get("pool_women_share"),
                        "pool_under40_share": targets.get("pool_under40_share"),
                    },
                    lang=lang,
                ),
                figdir / "congress.png",
            )
        )
    return made


def comparison_figures(comp: Comparison, table: pd.DataFrame, figdir: Path, policy=None, lang: str = "en") -> list[str]:
    """Save the figures of a comparison held in memory (``policy`` supplies the targets)."""
    targets = {}
    if policy is not None:
        targets = {
            "pool_women_share": policy.pool.women_target,
            "pool_under40_share": policy.pool.young_target,
            "congress_share_women": policy.congress.women_target,
        }
    meta = {"run": {"end": str(comp.timeseries["month"].max()) if len(comp.timeseries) else "", "targets": targets}}
    return report_figures(ReportData(comp.timeseries, comp.runs, table, meta), figdir, lang)


def comparison_report(
    data: ReportData, figs: list[str] | None, lang: str = "en", source: Path | None = None
) -> str:
    """report.md (or report.vi.md): what the comparison shows, the scenarios, the tables
    in plain words and units, the figures (None: not drawn), the policy applied, sources,
    glossary."""
    run = data.meta.get("run", {})
    seeds = run.get("seeds") or [0]
    ref, end = data.reference, run.get("end", "")
    fig_md = phrase("no_figures", lang) if figs is None else "\n\n".join(f"![{f}](figures/{f})" for f in figs)
    subset = f"\n\n{phrase('subset', lang, src=source)}" if source is not None else ""
    money = ""
    if run.get("base_salary_vnd_end") and "wage_bill_end" in set(data.table["metric"]):
        decree = run.get("base_salary_decree", "")
        if lang == "vi":
            decree = decree.replace("Decree ", "Nghị định ")
        money = "\n\n" + phrase("money", lang, end=end, base=_num(run["base_salary_vnd_end"], lang), decree=decree)
    folder = run.get("folder", "<folder>")
    diffs = markdown_tables(difference_frame(data, lang), phrase("measure", lang), lang)
    return f"""# {phrase("title", lang, n=len(data.scenarios), reps=len(seeds))}

{phrase("intro", lang, org=run.get("org", ""), start=run.get("start", ""), end=end, reps=len(seeds), s0=seeds[0], s1=seeds[-1], ref=ref)}
{phrase("runs_line", lang, sim=run.get("simulated", 0), loaded=run.get("loaded", 0))}{subset}

## {phrase("shows", lang)}

{what_it_shows(data, lang)}

## {phrase("baseline_story", lang)}

{baseline_story(data, lang)}

## {phrase("scenarios", lang)}

{scenario_list(data, lang)}

## {phrase("policy_all", lang)}

{policy_section(data, lang)}

## {phrase("diffs", lang, ref=ref)}

{phrase("diffs_note", lang)}{money}

{diffs}

## {phrase("levels", lang, end=end)}

{markdown_tables(level_frame(data, lang), phrase("measure", lang), lang)}

## {phrase("figures", lang)}

{fig_md}

## {phrase("files", lang)}

{phrase("files_text", lang)}

## {phrase("sources", lang)}

{sources_list(data, lang)}

## {phrase("glossary", lang)}

{glossary_markdown(lang)}

## {phrase("reproduce", lang)}

```bash
{run.get("command", "")}
```

{phrase("reproduce_text", lang, out=folder)}
"""


def write_xlsx(path: Path, data: ReportData, lang: str = "en") -> None:
    """report.xlsx: one sheet per table (differences, levels, scenarios, summary, runs)."""
    info = data.meta.get("scenarios", {})
    scen = pd.DataFrame(
        [
            {
                "scenario": s,
                "description": info.get(s, {}).get("description", ""),
                "actions": info.get(s, {}).get("actions", 0),
                "policy": ", ".join(info.get(s, {}).get("policy_keys", [])),
                "source": info.get(s, {}).get("source", ""),
            }
            for s in data.scenarios
        ]
    )
    summary = data.table.copy()
    summary.insert(2, "label", summary["metric"].map(lambda k: label_of(k, lang)))
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        difference_frame(data, lang).to_excel(xl, sheet_name="differences")
        level_frame(data, lang).to_excel(xl, sheet_name="levels")
        scen.to_excel(xl, sheet_name="scenarios", index=False)
        summary.to_excel(xl, sheet_name="summary", index=False)
        data.runs.to_excel(xl, sheet_name="runs", index=False)


def write_report_files(
    out: Path,
    data: ReportData,
    *,
    lang: str = "both",
    per_panel: int = 4,
    source: Path | None = None,
    figures: bool = True,
) -> list[str]:
    """Figures (figures/*.png), report.md and/or report.vi.md, and report.xlsx in ``out``.

    ``lang``: "en" (report.md), "vi" (report.vi.md, figures in Vietnamese) or "both"
    (both reports, figures in English). ``figures=False`` (``report.figures=false``):
    no figures are drawn and the reports say so. Returns the figure file names.
    """
    out = Path(out)
    fig_lang = "vi" if lang == "vi" else "en"
    figs = report_figures(data, out / "figures", fig_lang, per_panel) if figures else []
    for code, name in (("en", "report.md"), ("vi", "report.vi.md")):
        if lang in (code, "both"):
            report = comparison_report(data, figs if figures else None, code, source)
            (out / name).write_text(report, encoding="utf-8")
    write_xlsx(out / "report.xlsx", data, "vi" if lang == "vi" else "en")
    return figs


__all__ = [
    "closing_lines",
    "comparison_figures",
    "comparison_report",
    "headline_lines",
    "what_it_shows",
    "write_comparison_files",
    "write_report_files",
]
