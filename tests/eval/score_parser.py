"""Score the plan parser against a hand-labelled directory of excerpts (issue 21).

    python -m tests.eval.score_parser tests/fixtures/plans_blind [--quiet] [--json]

DIR holds `*.txt` excerpts and a `labels.json` (see tests/fixtures/plans_blind/labels_src.py for how the
labels were written). The parser is run through `pipelines.parsing.parse_document`, the entry point
`plankpi parse --json` prints. Measured, per file and overall:

- targets: a labelled target matches a parsed one on line ±1 and value (or one of the label's
  `alt_values`, e.g. 1.2 for 1.2万户); one-to-one, the closest pair first. Precision, recall, F1.
- comparator accuracy and KPI-code accuracy over the matched targets.
- task recall: a labelled task matches a parsed task whose start_line is within ±1 (one-to-one; a
  parsed task whose title starts like the label's is preferred, for tasks glued on one line).
- unit F1: per labelled task, the set of (role, name) for lead and support, against the matched parsed
  task (nothing when unmatched); names compared after normalising brackets and whitespace only. The
  role-blind F1 (name sets, lead ∪ support) is printed beside it.
- deadline recall: a labelled deadline is found when the parsed task matched to its task (or, when that
  task was missed, any parsed task's deadline within ±1 line) has the same phrase after removing spaces
  and converting to simplified script, or one phrase holds the other with the same digits.

Every miss and false hit is listed with file:line and the sentence it came from.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

_BRACKETS = str.maketrans({"〔": "（", "〕": "）", "(": "（", ")": "）", "[": "（", "]": "）", "【": "（", "】": "）"})
_T2S = None


def _t2s(text: str) -> str:
    global _T2S
    if _T2S is None:
        import opencc
        _T2S = opencc.OpenCC("t2s")
    return _T2S.convert(text)


def unit_name(name: str) -> str:
    """Brackets and whitespace only: 各县〔市、区〕 = 各县（市、区）."""
    return re.sub(r"\s+", "", name.translate(_BRACKETS))


def plain(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", _t2s(text or "")))


def _same_value(label: dict, value) -> bool:
    if value is None:
        return False
    try:
        v = float(value)
    except (TypeError, ValueError):
        return False
    return any(abs(v - float(x)) <= 1e-6 * max(1.0, abs(float(x))) for x in [label["value"], *label.get("alt_values", [])])


def _same_deadline(want: str, got: str) -> bool:
    """Same phrase, or one holds the other with the same digits (2023年汛期前 / 2023年汛期前完成)."""
    if not got:
        return False
    return want == got or ((want in got or got in want) and re.findall(r"\d+", want) == re.findall(r"\d+", got))


def _clause(lines: list[str], line: int, needle: str = "", width: int = 70) -> str:
    if not 1 <= line <= len(lines):
        return ""
    text = lines[line - 1].strip()
    if len(text) <= width:
        return text
    pos = text.find(needle) if needle else -1
    if pos < 0:
        return text[:width] + "…"
    start = max(0, pos - width // 2)
    return ("…" if start else "") + text[start:start + width] + "…"


def _num(v) -> str:
    if v is None:
        return "None"
    f = float(v)
    return str(int(f)) if f == int(f) else str(f)


def parse(path: Path):
    from pipelines.parsing import parse_document
    try:
        return parse_document(path), None
    except Exception as exc:  # the score counts a refusal as finding nothing; the reason is printed
        return None, f"{type(exc).__name__}: {exc}"


def _pair(labels: list, preds: list, score) -> list[tuple[int, int]]:
    """Greedy one-to-one assignment, best score first; score None means no match."""
    pairs = []
    for i, lab in enumerate(labels):
        for j, pred in enumerate(preds):
            s = score(lab, pred)
            if s is not None:
                pairs.append((s, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_l, used_p, out = set(), set(), []
    for _, i, j in pairs:
        if i not in used_l and j not in used_p:
            used_l.add(i)
            used_p.add(j)
            out.append((i, j))
    return out


def score_file(path: Path, label: dict) -> dict:
    lines = path.read_text(encoding="utf-8").split("\n")
    doc, refused = parse(path)
    plans = (doc or {}).get("plans", [])
    p_targets = [t for p in plans for t in p.get("targets", [])]
    p_tasks = [t for p in plans for t in p.get("tasks", [])]
    l_targets, l_tasks, l_deadlines = label["targets"], label["tasks"], label["deadlines"]
    r = {"file": path.name, "refused": refused, "issues": []}
    say = r["issues"].append

    # --- targets
    def t_score(lab, pred):
        d = abs(int(pred.get("line") or -99) - lab["line"])
        if d > 1 or not _same_value(lab, pred.get("value")):
            return None
        return (2 - d) * 8 + 4 * (pred.get("kpi") == lab["kpi"]) + 2 * (pred.get("comparator") == lab["comparator"]) \
            + (plain(pred.get("unit") or "") == plain(lab["unit"]))
    tm = _pair(l_targets, p_targets, t_score)
    matched_l = {i for i, _ in tm}
    matched_p = {j for _, j in tm}
    comp_ok = kpi_ok = unit_ok = 0
    for i, j in tm:
        lab, pred = l_targets[i], p_targets[j]
        comp_ok += pred.get("comparator") == lab["comparator"]
        kpi_ok += pred.get("kpi") == lab["kpi"]
        unit_ok += plain(pred.get("unit") or "") == plain(lab["unit"])
        if pred.get("comparator") != lab["comparator"]:
            say(("comparator", lab["line"], f"{lab['indicator']} {_num(lab['value'])}{lab['unit']}: expected "
                 f"{lab['comparator']}, got {pred.get('comparator')}", _clause(lines, lab["line"], lab["indicator"][-4:])))
        if pred.get("kpi") != lab["kpi"]:
            say(("kpi", lab["line"], f"{lab['indicator']} {_num(lab['value'])}{lab['unit']}: expected {lab['kpi']}, got "
                 f"{pred.get('kpi')} (indicator read: {pred.get('indicator')!r})", _clause(lines, lab["line"], lab["indicator"][-4:])))
    for i, lab in enumerate(l_targets):
        if i not in matched_l:
            say(("target_missed", lab["line"], f"{lab['kind']} {lab['indicator']} {lab['comparator']} {_num(lab['value'])}"
                 f"{lab['unit']} [{lab['kpi']}]", _clause(lines, lab["line"], lab["indicator"][-4:])))
    for j, pred in enumerate(p_targets):
        if j not in matched_p:
            say(("target_false", pred.get("line") or 0, f"{pred.get('kind')} {pred.get('indicator')} {pred.get('comparator')} "
                 f"{_num(pred.get('value'))}{pred.get('unit') or ''} [{pred.get('kpi')}]",
                 _clause(lines, int(pred.get("line") or 0), (pred.get("indicator") or "")[-4:])))

    # --- tasks
    def k_score(lab, pred):
        d = abs(int(pred.get("start_line") or -99) - lab["line"])
        if d > 1:
            return None
        head = plain(pred.get("title") or pred.get("text") or "")
        return (2 - d) * 2 + 5 * head.startswith(plain(lab["title_prefix"])[:6])
    km = _pair(l_tasks, p_tasks, k_score)
    task_of = dict(km)
    for i, lab in enumerate(l_tasks):
        if i not in task_of:
            say(("task_missed", lab["line"], lab["title_prefix"], _clause(lines, lab["line"])))

    # --- units
    def unit_sets(lead, support):
        return ({("lead", unit_name(n)) for n in lead} | {("support", unit_name(n)) for n in support},
                {unit_name(n) for n in [*lead, *support]})
    u = {"tp": 0, "fp": 0, "fn": 0, "tp_any": 0, "fp_any": 0, "fn_any": 0}
    for i, lab in enumerate(l_tasks):
        want, want_any = unit_sets(lab["lead"], lab["support"])
        pred = p_tasks[task_of[i]] if i in task_of else None
        got, got_any = unit_sets(pred.get("lead", []), pred.get("support", [])) if pred else (set(), set())
        u["tp"] += len(want & got)
        u["fp"] += len(got - want)
        u["fn"] += len(want - got)
        u["tp_any"] += len(want_any & got_any)
        u["fp_any"] += len(got_any - want_any)
        u["fn_any"] += len(want_any - got_any)
        if pred is not None and want != got:
            say(("units", lab["line"], f"expected lead={sorted(lab['lead'])} support={sorted(lab['support'])}; got "
                 f"lead={pred.get('lead')} support={pred.get('support')}", _clause(lines, lab["line"])))

    # --- deadlines
    line_to_label_task = {lab["line"]: i for i, lab in enumerate(l_tasks)}
    d_found = 0
    for dl in l_deadlines:
        want = plain(dl["text"])
        cands = []
        i = dl["task"] if "task" in dl else line_to_label_task.get(dl["task_line"])
        for k, task in enumerate(p_tasks):
            if i is not None and i in task_of:
                if task_of[i] != k:
                    continue
                pds = task.get("deadlines", [])
            else:
                pds = [pd for pd in task.get("deadlines", []) if abs(int(pd.get("line") or -99) - dl["line"]) <= 1]
            cands += [plain(pd.get("text") or "") for pd in pds]
        if any(_same_deadline(want, c) for c in cands):
            d_found += 1
        else:
            say(("deadline_missed", dl["line"], f"{dl['text']!r} (parsed near it: {sorted(set(cands))})",
                 _clause(lines, dl["line"], dl["text"][:4])))

    r["counts"] = {
        "targets_label": len(l_targets), "targets_parsed": len(p_targets), "targets_matched": len(tm),
        "comparator_ok": comp_ok, "kpi_ok": kpi_ok, "target_unit_ok": unit_ok,
        "tasks_label": len(l_tasks), "tasks_parsed": len(p_tasks), "tasks_matched": len(km),
        "deadlines_label": len(l_deadlines), "deadlines_found": d_found, **{"units_" + k: v for k, v in u.items()},
    }
    return r


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def metrics(c: dict) -> dict:
    p = _ratio(c["targets_matched"], c["targets_parsed"])
    r = _ratio(c["targets_matched"], c["targets_label"])
    up = _ratio(c["units_tp"], c["units_tp"] + c["units_fp"])
    ur = _ratio(c["units_tp"], c["units_tp"] + c["units_fn"])
    ap = _ratio(c["units_tp_any"], c["units_tp_any"] + c["units_fp_any"])
    ar = _ratio(c["units_tp_any"], c["units_tp_any"] + c["units_fn_any"])
    return {
        "target_precision": p, "target_recall": r, "target_f1": _f1(p, r),
        "comparator_accuracy": _ratio(c["comparator_ok"], c["targets_matched"]),
        "kpi_accuracy": _ratio(c["kpi_ok"], c["targets_matched"]),
        "target_unit_accuracy": _ratio(c["target_unit_ok"], c["targets_matched"]),
        "task_recall": _ratio(c["tasks_matched"], c["tasks_label"]),
        "task_precision": _ratio(c["tasks_matched"], c["tasks_parsed"]),
        "unit_f1": _f1(up, ur), "unit_f1_role_blind": _f1(ap, ar),
        "deadline_recall": _ratio(c["deadlines_found"], c["deadlines_label"]),
    }


def score_dir(directory: Path) -> dict:
    directory = Path(directory)
    labels = json.loads((directory / "labels.json").read_text(encoding="utf-8"))
    files = [score_file(directory / name, labels[name]) for name in sorted(labels)]
    total: dict = {}
    for f in files:
        f["metrics"] = metrics(f["counts"])
        for k, v in f["counts"].items():
            total[k] = total.get(k, 0) + v
    return {"files": files, "counts": total, "overall": metrics(total),
            "refused": [f["file"] for f in files if f["refused"]]}


_SHORT = [("target_f1", "tF1"), ("target_precision", "P"), ("target_recall", "R"), ("comparator_accuracy", "cmp"),
          ("kpi_accuracy", "kpi"), ("task_recall", "task"), ("unit_f1", "unit"), ("deadline_recall", "dl")]


def format_report(res: dict, quiet: bool = False) -> str:
    out = ["file                                  " + " ".join(f"{s:>5}" for _, s in _SHORT)]
    for f in res["files"]:
        m = f["metrics"]
        out.append(f"{f['file'][:37]:37} " + " ".join(f"{m[k]:5.2f}" for k, _ in _SHORT)
                   + (f"  REFUSED {f['refused']}" if f["refused"] else ""))
    c, m = res["counts"], res["overall"]
    out += ["", "overall (micro over all files):",
            f"  targets: labelled {c['targets_label']}, parsed {c['targets_parsed']}, matched {c['targets_matched']}"
            f" -> precision {m['target_precision']:.3f} recall {m['target_recall']:.3f} F1 {m['target_f1']:.3f}",
            f"  comparator accuracy {m['comparator_accuracy']:.3f}, KPI-code accuracy {m['kpi_accuracy']:.3f}, "
            f"target-unit accuracy {m['target_unit_accuracy']:.3f} (over {c['targets_matched']} matched)",
            f"  tasks: labelled {c['tasks_label']}, parsed {c['tasks_parsed']}, matched {c['tasks_matched']}"
            f" -> recall {m['task_recall']:.3f} (precision {m['task_precision']:.3f})",
            f"  units: F1 {m['unit_f1']:.3f} (role-aware; role-blind {m['unit_f1_role_blind']:.3f})",
            f"  deadlines: labelled {c['deadlines_label']}, found {c['deadlines_found']} -> recall {m['deadline_recall']:.3f}",
            f"  refused files: {len(res['refused'])} {res['refused']}"]
    if not quiet:
        out += ["", "misses and false hits (file:line  kind  what  |  sentence):"]
        for f in res["files"]:
            for kind, line, what, sentence in sorted(f["issues"], key=lambda x: (x[1], x[0])):
                out.append(f"{f['file']}:{line}  {kind}  {what}  |  {sentence}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.eval.score_parser", description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--quiet", action="store_true", help="scores only, no list of misses")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = ap.parse_args(argv)
    res = score_dir(args.dir)
    if args.json:
        print(json.dumps({"overall": res["overall"], "counts": res["counts"], "refused": res["refused"],
                          "files": {f["file"]: f["metrics"] for f in res["files"]}}, ensure_ascii=False, indent=1))
    else:
        print(format_report(res, args.quiet))
    return 0


if __name__ == "__main__":
    sys.exit(main())
