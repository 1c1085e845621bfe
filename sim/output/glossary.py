"""Words of the reports in English and Vietnamese: the domain terms a reader meets
(the glossary printed at the end of each report) and the report's own headings and
phrases. Terms follow the wording of the Party regulations and decrees they come from
(Regulation 50-QĐ/TW on the succession pool, Regulation 98-QĐ/TW on rotation,
Resolution 39-NQ/TW on payroll streamlining, Decree 178/2024/NĐ-CP)."""

from __future__ import annotations

from sim.plots.style import UNITS_VI, unit_words

# (Vietnamese term, English term, English explanation, Vietnamese explanation)
TERMS: tuple[tuple[str, str, str, str], ...] = (
    ("cán bộ", "cadre", "a person in a Party, state, Front or mass-organisation post", "người giữ chức vụ, chức danh trong hệ thống chính trị"),
    ("biên chế", "staff quota (payroll establishment)", "the number of paid posts a unit is allowed", "số người làm việc được giao cho cơ quan, đơn vị"),
    ("tinh giản biên chế", "payroll streamlining", "vacated posts abolished until a target cut is reached (Resolution 39-NQ/TW)", "cắt giảm số người làm việc theo Nghị quyết 39-NQ/TW"),
    ("quy hoạch", "succession pool", "candidates designated for posts one rank up, at most 3 per post (Regulation 50-QĐ/TW)", "nguồn cán bộ dự bị cho chức danh cao hơn, tối đa 3 người một chức danh (Quy định 50-QĐ/TW)"),
    ("luân chuyển", "rotation", "a cadre sent to another unit or level for a fixed term, to train (Regulation 98-QĐ/TW)", "cử cán bộ đến đơn vị, cấp khác trong một thời hạn để rèn luyện (Quy định 98-QĐ/TW)"),
    ("điều động", "transfer", "a cadre moved to another unit at the same rank by decision", "chuyển cán bộ sang đơn vị khác cùng cấp theo quyết định"),
    ("bổ nhiệm", "appointment (promotion)", "a cadre named to a leader post", "giao chức vụ lãnh đạo, quản lý cho cán bộ"),
    ("cấp trưởng, cấp phó", "head, deputy", "the leader posts of a unit", "các vị trí lãnh đạo của cơ quan, đơn vị"),
    ("vị trí chủ chốt", "key post", "the posts whose succession is watched (secretaries, chairs, heads of key boards)", "các chức danh lãnh đạo chủ chốt"),
    ("dôi dư", "surplus", "leaders above their unit's quota after a merger, kept until a deadline", "số lãnh đạo vượt số lượng quy định sau khi sắp xếp"),
    ("kiêm nhiệm", "concurrent post", "one person heads two units", "một người đồng thời giữ chức vụ ở hai đơn vị"),
    ("sáp nhập, hợp nhất", "merger", "units joined into one (Conclusion 34-KL/TW pilots)", "nhập các cơ quan, đơn vị thành một (thí điểm theo Kết luận 34-KL/TW)"),
    ("nghỉ hưu trước tuổi", "early retirement", "retirement before the statutory age, with a one-off payment (Decree 178/2024/NĐ-CP)", "nghỉ hưu khi chưa đủ tuổi, hưởng chính sách theo Nghị định 178/2024/NĐ-CP"),
    ("lộ trình tăng tuổi nghỉ hưu", "retirement-age roadmap", "retirement ages rising from 2021 to 62 (men) and 60 (women) (Labour Code 2019 art. 169; Decree 135/2020/NĐ-CP)", "tuổi nghỉ hưu tăng dần từ 2021 lên 62 (nam), 60 (nữ) (Bộ luật Lao động 2019, Điều 169; Nghị định 135/2020/NĐ-CP)"),
    ("lương cơ sở", "base salary", "the amount pay coefficients multiply: 1.80 million VND a month from 2023-07 (Decree 24/2023/NĐ-CP), 2.34 million from 2024-07 (Decree 73/2024/NĐ-CP)", "mức lương cơ sở: 1,8 triệu đồng/tháng từ 7/2023 (Nghị định 24/2023/NĐ-CP), 2,34 triệu đồng từ 7/2024 (Nghị định 73/2024/NĐ-CP)"),
    ("hệ số lương", "salary coefficient", "a cadre's pay as a multiple of the base salary", "bội số của lương cơ sở"),
    ("Ban Thường vụ", "Standing Committee", "the provincial Party committee's standing body", "Ban Thường vụ Tỉnh ủy"),
    ("đại hội", "congress", "the Party congress that elects a committee every five years (2020, 2025)", "đại hội Đảng bộ, nhiệm kỳ 5 năm (2020, 2025)"),
    ("bầu cử Hội đồng nhân dân", "People's Council election", "the election after which council and People's Committee leaders are re-elected or replaced (23 May 2021, NA Resolution 133/2020; 15 Mar 2026); re-election needs 30 months of working age left (Guidance 26-HD/BTCTW)", "bầu cử đại biểu Hội đồng nhân dân (23/5/2021, Nghị quyết 133/2020/QH14; 15/3/2026); tái cử chức danh lãnh đạo chính quyền cần còn ít nhất 30 tháng công tác (Hướng dẫn 26-HD/BTCTW)"),
)

PHRASES: dict[str, dict[str, str]] = {
    "title": {"en": "Comparison of {n} scenarios, {reps} replications each", "vi": "So sánh {n} kịch bản, mỗi kịch bản {reps} lần mô phỏng"},
    "intro": {
        "en": "Organisation `{org}`, {start} to {end}. Each scenario was simulated {reps} times; replication r uses the same random seed in every scenario ({s0}..{s1}), so each difference is taken between runs that differ only by the scenario. Reference: **{ref}**.",
        "vi": "Tổ chức `{org}`, từ {start} đến {end}. Mỗi kịch bản được mô phỏng {reps} lần; lần thứ r dùng cùng một hạt giống ngẫu nhiên ở mọi kịch bản ({s0}..{s1}), nên mỗi chênh lệch được tính giữa hai lần chạy chỉ khác nhau ở kịch bản. Kịch bản đối chứng: **{ref}**.",
    },
    "shows": {"en": "What this comparison shows", "vi": "Kết quả chính của so sánh"},
    "largest": {
        "en": "Against {ref}, by {end}: {items}.",
        "vi": "So với {ref}, đến {end}: {items}.",
    },
    "effect": {"en": "**{scenario}** changes {what} by {value} (90 % interval {lo} to {hi})", "vi": "**{scenario}** làm {what} thay đổi {value} (khoảng tin cậy 90 %: {lo} đến {hi})"},
    "noise": {
        "en": "Within noise (every 90 % interval of the headline measures includes zero): {names}.",
        "vi": "Khác biệt không rõ ràng (mọi khoảng tin cậy 90 % của các chỉ tiêu chính đều chứa 0): {names}.",
    },
    "few_reps": {
        "en": "With only {reps} replications the intervals are wide; run more (replications=50) before drawing conclusions.",
        "vi": "Chỉ có {reps} lần mô phỏng nên khoảng tin cậy còn rộng; nên chạy nhiều hơn (replications=50) trước khi kết luận.",
    },
    "baseline_story": {"en": "The reference's own trends", "vi": "Xu hướng của kịch bản đối chứng"},
    "baseline_text": {
        "en": "In {ref}, from {start} to {end}: {items}. Every effect above is measured against these trends. Part of them is law: the retirement-age roadmap (Labour Code 2019 art. 169, Decree 135/2020/NĐ-CP) keeps older leaders in post longer, and payroll streamlining (Resolution 39-NQ/TW, Conclusion 40-KL/TW) recruits fewer young cadres; part comes from estimated parameters (other exits, promotion rules), listed with their sources in docs/parameters.md.",
        "vi": "Trong {ref}, từ {start} đến {end}: {items}. Mọi tác động nêu trên đều được so với các xu hướng này. Một phần do quy định: lộ trình tăng tuổi nghỉ hưu (Bộ luật Lao động 2019 Điều 169, Nghị định 135/2020/NĐ-CP) giữ lãnh đạo lớn tuổi lâu hơn, và tinh giản biên chế (Nghị quyết 39-NQ/TW, Kết luận 40-KL/TW) làm giảm tuyển dụng người trẻ; một phần do các tham số ước tính (nghỉ việc vì lý do khác, quy tắc bổ nhiệm), liệt kê cùng nguồn trong docs/parameters.md.",
    },
    "from_to": {"en": "{what} from {a} to {b}", "vi": "{what} từ {a} thành {b}"},
    "roadmap_effect": {
        "en": "Without the roadmap (scenario {name}), {what} would differ by {value} (90 % interval {lo} to {hi}).",
        "vi": "Nếu không có lộ trình tăng tuổi nghỉ hưu (kịch bản {name}), {what} sẽ chênh lệch {value} (khoảng tin cậy 90 %: {lo} đến {hi}).",
    },
    "scenarios": {"en": "Scenarios", "vi": "Các kịch bản"},
    "changes": {"en": "Changes", "vi": "Thay đổi"},
    "actions_n": {"en": "{n} dated restructuring action(s)", "vi": "{n} bước sắp xếp tổ chức theo thời điểm"},
    "no_actions": {"en": "no restructuring", "vi": "không sắp xếp tổ chức"},
    "policy_set": {"en": "policy: {keys}", "vi": "chính sách: {keys}"},
    "source": {"en": "Source", "vi": "Nguồn"},
    "levels": {"en": "Values in {end}: mean [5th to 95th percentile over replications]", "vi": "Giá trị tháng {end}: trung bình [phân vị 5 đến 95 qua các lần mô phỏng]"},
    "diffs": {"en": "Difference from {ref}: mean of paired differences [90 % confidence interval]", "vi": "Chênh lệch so với {ref}: trung bình chênh lệch theo cặp [khoảng tin cậy 90 %]"},
    "diffs_note": {
        "en": "Shares are in percentage points (pp). A cell marked ~ has an interval that includes zero: within noise.",
        "vi": "Tỷ lệ tính bằng điểm phần trăm (đpt). Ô có dấu ~ có khoảng tin cậy chứa 0: khác biệt không rõ ràng.",
    },
    "measure": {"en": "measure", "vi": "chỉ tiêu"},
    "part": {"en": "table {k} of {n}", "vi": "bảng {k}/{n}"},
    "figures": {"en": "Figures", "vi": "Biểu đồ"},
    "no_figures": {
        "en": "Not drawn: this folder was written with `report.figures=false`.",
        "vi": "Không vẽ biểu đồ: thư mục này được ghi với `report.figures=false`.",
    },
    "policy_all": {"en": "Policy changes applied to every scenario", "vi": "Thay đổi chính sách áp dụng cho mọi kịch bản"},
    "policy_all_text": {
        "en": "These command-line overrides apply to every scenario, the reference included: {items}.",
        "vi": "Các tham số sau được áp dụng cho mọi kịch bản, kể cả kịch bản đối chứng: {items}.",
    },
    "policy_none": {"en": "None: every scenario runs the default policy, except what its own file changes.", "vi": "Không có: mọi kịch bản dùng chính sách mặc định, trừ những gì tệp kịch bản tự thay đổi."},
    "policy_shadow": {
        "en": "Scenario {name} sets {keys} in its own file; its value replaces the command line's for that scenario.",
        "vi": "Kịch bản {name} tự đặt {keys} trong tệp của nó; giá trị đó thay cho giá trị trên dòng lệnh ở kịch bản này.",
    },
    "money": {
        "en": "Money: the wage bill is in base salaries per month (salary coefficients plus leadership allowances, summed over cadres) and in billion VND at the base salary of {end} ({base} VND a month, {decree}).",
        "vi": "Tiền: quỹ lương tính bằng số lần lương cơ sở mỗi tháng (hệ số lương cộng phụ cấp chức vụ, cộng cho mọi cán bộ) và bằng tỷ đồng theo mức lương cơ sở tháng {end} ({base} đồng/tháng, {decree}).",
    },
    "sources": {"en": "Sources", "vi": "Nguồn văn bản"},
    "glossary": {"en": "Glossary", "vi": "Thuật ngữ"},
    "files": {"en": "Files", "vi": "Tệp dữ liệu"},
    "files_text": {
        "en": "`summary.csv` (every measure and scenario, long format), `timeseries.csv` and `timeseries.parquet` (every month of every run), `runs.csv` (one row per run), `report.xlsx` (the tables of this report, one sheet each).",
        "vi": "`summary.csv` (mọi chỉ tiêu và kịch bản, dạng dài), `timeseries.csv` và `timeseries.parquet` (mọi tháng của mọi lần chạy), `runs.csv` (mỗi lần chạy một dòng), `report.xlsx` (các bảng của báo cáo này, mỗi bảng một trang tính).",
    },
    "reproduce": {"en": "Reproduce", "vi": "Chạy lại"},
    "reproduce_text": {
        "en": "The same command with `hydra.run.dir={out}` reruns into this folder: runs already in `parts/` are loaded, not rerun. Figures and this report for a subset, without simulating: `python -m experiments.report run_dir={out} 'scenarios=[...]' lang=vi`.",
        "vi": "Cùng lệnh với `hydra.run.dir={out}` chạy lại vào thư mục này: các lần chạy đã có trong `parts/` được nạp lại, không chạy lại. Biểu đồ và báo cáo cho một nhóm kịch bản, không mô phỏng lại: `python -m experiments.report run_dir={out} 'scenarios=[...]' lang=vi`.",
    },
    "runs_line": {
        "en": "Runs: {sim} simulated, {loaded} loaded from `parts/`.",
        "vi": "Số lần chạy: {sim} mô phỏng mới, {loaded} nạp lại từ `parts/`.",
    },
    "subset": {"en": "Re-drawn from the finished comparison in `{src}` (no new simulation).", "vi": "Vẽ lại từ kết quả so sánh đã có trong `{src}` (không mô phỏng lại)."},
    "pp": {"en": "pp", "vi": "đpt"},
    "bn_vnd": {"en": "bn VND", "vi": "tỷ đồng"},
    "within_noise": {"en": "within noise", "vi": "không rõ ràng"},
    "headline_fig": {"en": "Effects in {end} against {ref}: mean of paired differences and 90 % interval", "vi": "Tác động tháng {end} so với {ref}: trung bình chênh lệch theo cặp và khoảng tin cậy 90 %"},
    "staffing": {"en": "Staffing", "vi": "Biên chế, tổ chức"},
    "pipeline": {"en": "Talent pipeline", "vi": "Nguồn cán bộ kế cận"},
    "reference": {"en": "reference", "vi": "đối chứng"},
    "band": {"en": "mean over replications, 5-95 % band", "vi": "trung bình các lần mô phỏng, dải phân vị 5-95 %"},
    "target": {"en": "target", "vi": "chỉ tiêu"},
    "difference": {"en": "difference", "vi": "chênh lệch"},
    "level_abolished": {"en": "a level abolished (different scale)", "vi": "bỏ một cấp hành chính (quy mô khác)"},
}

def unit_text(unit: str, lang: str = "en") -> str:
    """A registry unit in ``lang`` (``sim.plots.style.UNITS_VI``)."""
    return unit_words(unit, lang)


def phrase(key: str, lang: str = "en", **values) -> str:
    """A report phrase in ``lang`` (English if absent), with ``values`` filled in."""
    text = PHRASES[key].get(lang) or PHRASES[key]["en"]
    return text.format(**values) if values else text


def glossary_markdown(lang: str = "en") -> str:
    """The glossary as a Markdown list: Vietnamese term, English term, explanation."""
    lines = []
    for vi, en, expl_en, expl_vi in TERMS:
        if lang == "vi":
            lines.append(f"- **{vi}** ({en}): {expl_vi}")
        else:
            lines.append(f"- **{en}** (*{vi}*): {expl_en}")
    return "\n".join(lines)


__all__ = ["PHRASES", "TERMS", "UNITS_VI", "glossary_markdown", "phrase", "unit_text"]
