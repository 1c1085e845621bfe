"""The dashboard's own words in English and Vietnamese.

Metric names come from the metric registry (``sim.metrics``, labels in both languages);
this module holds only what the pages add: headings, buttons, and the short names of
the policy parameters shown as sliders (their units, ranges and sources come from the
parameter schema, ``sim.params``). A key missing in Vietnamese falls back to English.
"""

from __future__ import annotations

from sim.metrics import BY_NAME

LANGS = ("en", "vi")

UI: dict[str, dict[str, str]] = {
    "en": {
        "app": "cadresim",
        "live": "Live run",
        "compare": "Compare ensembles",
        "language": "Language",
        "setup": "Organisation and scenario",
        "org": "Organisation",
        "scenario": "Scenario",
        "seed": "Seed",
        "policy": "Policy",
        "source": "source",
        "now": "Now",
        "month": "month",
        "by_level": "By level, now",
        "level": "level",
        "province": "province",
        "district": "district",
        "count": "count",
        "people": "people",
        "headcount_leaders": "Headcount and leaders",
        "vacancy_surplus": "Vacant leader posts and surplus",
        "pipeline": "Bench strength and succession gaps",
        "shares": "Women and under-40 shares against their targets",
        "target": "target",
        "pyramid": "Age pyramid (cadres in post)",
        "age": "age (years)",
        "men": "men",
        "women": "women",
        "events": "Latest events",
        "no_events": "No events yet: press Step.",
        "kind": "kind",
        "cadre": "cadre",
        "unit": "unit",
        "post": "post",
        "rank": "rank",
        "detail": "detail",
        "folder": "Comparison folder",
        "no_folder": "No finished comparison in {path}. Start one below, or run python -m experiments.compare.",
        "scenarios": "Scenarios",
        "metrics": "Metrics",
        "bands": "Over time: mean and 5th-95th percentile band over replicates",
        "differences": "Difference from {ref}, paired by replicate: mean and 90% confidence interval",
        "headline": "End of horizon ({end}): mean [5th, 95th percentile]; difference from {ref} [90% CI]",
        "download": "Download CSV",
        "value": "value",
        "difference": "difference",
        "mean": "mean",
        "p5": "5th pct",
        "p95": "95th pct",
        "diff_mean": "difference",
        "diff_ci_low": "90% CI low",
        "diff_ci_high": "90% CI high",
        "metric": "metric",
        "new_run": "Run a small comparison",
        "replications": "Replications",
        "end": "Last month",
        "start": "Start",
        "running": "Running: {done} of {total} runs",
        "writing": "All runs done; writing tables and figures",
        "finished": "Finished: {path}",
        "failed": "The comparison failed: {message}",
        "runs_info": "{n_scen} scenario(s) x {n_rep} replication(s), {start} to {end}; reference {ref}",
    },
    "vi": {
        "app": "cadresim",
        "live": "Mô phỏng trực tiếp",
        "compare": "So sánh các kịch bản",
        "language": "Ngôn ngữ",
        "setup": "Tổ chức và kịch bản",
        "org": "Tổ chức",
        "scenario": "Kịch bản",
        "seed": "Hạt giống ngẫu nhiên",
        "policy": "Chính sách",
        "source": "nguồn",
        "now": "Hiện tại",
        "month": "tháng",
        "by_level": "Theo cấp, hiện tại",
        "level": "cấp",
        "province": "tỉnh",
        "district": "huyện",
        "count": "số lượng",
        "people": "người",
        "headcount_leaders": "Số cán bộ và lãnh đạo",
        "vacancy_surplus": "Vị trí lãnh đạo trống và dôi dư",
        "pipeline": "Nguồn kế nhiệm và vị trí thiếu người kế nhiệm",
        "shares": "Tỷ lệ nữ và dưới 40 tuổi so với chỉ tiêu",
        "target": "chỉ tiêu",
        "pyramid": "Tháp tuổi (cán bộ đang công tác)",
        "age": "tuổi",
        "men": "nam",
        "women": "nữ",
        "events": "Sự kiện gần nhất",
        "no_events": "Chưa có sự kiện: bấm Step.",
        "kind": "loại",
        "cadre": "cán bộ",
        "unit": "đơn vị",
        "post": "vị trí",
        "rank": "bậc",
        "detail": "chi tiết",
        "folder": "Thư mục kết quả so sánh",
        "no_folder": "Chưa có kết quả so sánh hoàn chỉnh trong {path}. Hãy chạy một lần so sánh bên dưới, hoặc python -m experiments.compare.",
        "scenarios": "Kịch bản",
        "metrics": "Chỉ số",
        "bands": "Theo thời gian: trung bình và khoảng phân vị 5-95 qua các lần lặp",
        "differences": "Chênh lệch so với {ref}, ghép cặp theo lần lặp: trung bình và khoảng tin cậy 90%",
        "headline": "Cuối kỳ ({end}): trung bình [phân vị 5, 95]; chênh lệch so với {ref} [KTC 90%]",
        "download": "Tải CSV",
        "value": "giá trị",
        "difference": "chênh lệch",
        "mean": "trung bình",
        "p5": "phân vị 5",
        "p95": "phân vị 95",
        "diff_mean": "chênh lệch",
        "diff_ci_low": "KTC 90% dưới",
        "diff_ci_high": "KTC 90% trên",
        "metric": "chỉ số",
        "new_run": "Chạy một lần so sánh nhỏ",
        "replications": "Số lần lặp",
        "end": "Tháng cuối",
        "start": "Bắt đầu",
        "running": "Đang chạy: {done} / {total} lượt",
        "writing": "Đã chạy xong; đang ghi bảng và biểu đồ",
        "finished": "Hoàn thành: {path}",
        "failed": "So sánh thất bại: {message}",
        "runs_info": "{n_scen} kịch bản x {n_rep} lần lặp, {start} đến {end}; đối chứng {ref}",
    },
}

# Short names of the policy parameters the live page offers; the unit, range, choices,
# meaning and source shown beside each come from the schema declaration (sim.params).
PARAMETERS: dict[str, dict[str, str]] = {
    "en": {
        "policy.selection.rule": "Selection rule",
        "policy.rotation.per_year": "Rotations per year",
        "policy.non_local.strictness": "Non-local rule",
        "policy.pool.women_target": "Pool target: women",
        "policy.pool.young_target": "Pool target: under 40",
        "policy.pool.target_mode": "Pool target mode",
        "policy.retirement_rule": "Retirement rule",
        "policy.transition.takeup_decree_108": "Early-retirement take-up (2018-2024)",
        "policy.transition.takeup_decree_178": "Early-retirement take-up (from 2025)",
        "policy.payroll.enabled": "Payroll cut",
    },
    "vi": {
        "policy.selection.rule": "Cách lựa chọn bổ nhiệm",
        "policy.rotation.per_year": "Số lượt luân chuyển mỗi năm",
        "policy.non_local.strictness": "Bố trí không là người địa phương",
        "policy.pool.women_target": "Chỉ tiêu quy hoạch: nữ",
        "policy.pool.young_target": "Chỉ tiêu quy hoạch: dưới 40 tuổi",
        "policy.pool.target_mode": "Cách thực hiện chỉ tiêu quy hoạch",
        "policy.retirement_rule": "Quy định tuổi nghỉ hưu",
        "policy.transition.takeup_decree_108": "Tỷ lệ nhận nghỉ hưu trước tuổi (2018-2024)",
        "policy.transition.takeup_decree_178": "Tỷ lệ nhận nghỉ hưu trước tuổi (từ 2025)",
        "policy.payroll.enabled": "Tinh giản biên chế",
    },
}

# Words for the values of the choices (selection rules, modes, ...), where they differ.
CHOICES: dict[str, dict[str, str]] = {
    "vi": {
        "merit": "theo năng lực",
        "seniority": "theo thâm niên",
        "random": "ngẫu nhiên",
        "off": "không áp dụng",
        "preference": "ưu tiên",
        "required": "bắt buộc",
        "none": "không",
        "quota": "bắt buộc đủ chỉ tiêu",
        "mixed": "kết hợp",
    },
}


def t(key: str, lang: str = "en", **fmt) -> str:
    """A UI string in ``lang`` (English when the key has no translation), formatted."""
    text = UI.get(lang, {}).get(key) or UI["en"][key]
    return text.format(**fmt) if fmt else text


def parameter_label(key: str, lang: str = "en") -> str:
    """The short name of a policy parameter; the last part of its key when none is written."""
    return PARAMETERS.get(lang, {}).get(key) or PARAMETERS["en"].get(key) or key.rsplit(".", 1)[-1].replace("_", " ")


def choice_label(value: str, lang: str = "en") -> str:
    return CHOICES.get(lang, {}).get(value, value)


def metric_label(name: str, lang: str = "en") -> str:
    """A timeseries column's label from the metric registry (the name itself if unknown)."""
    m = BY_NAME.get(name)
    return m.text(lang) if m is not None else name


EVENTS: dict[str, dict[str, str]] = {
    "vi": {
        "promotion": "bổ nhiệm",
        "retirement": "nghỉ hưu",
        "early_retirement": "nghỉ hưu trước tuổi",
        "merge": "hợp nhất",
        "split": "tách",
        "concurrent_head": "kiêm nhiệm người đứng đầu",
        "abolish_level": "bỏ cấp",
        "district_congress": "đại hội cấp huyện",
        "provincial_congress": "đại hội cấp tỉnh",
    },
}


def event_label(kind: str, lang: str = "en") -> str:
    return EVENTS.get(lang, {}).get(kind, kind.replace("_", " "))
