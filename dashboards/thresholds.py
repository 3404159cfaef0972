"""Red / amber / green: the judgement a leader reads first, from data/reference/thresholds.csv (data, so a
government sets its own lines without a code change). The cards, the bars and the map use this one rule.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from pipelines.config import data_paths
from pipelines.reference import read_table

# Colours with ≥ 4.5:1 contrast against white text (the cards') and readable as fills: Bootstrap's
# success / warning-text / danger shades darkened where needed. The word is always shown beside them.
COLOURS = {"green": "#146c43", "amber": "#856404", "red": "#b02a37", None: "#6c757d"}
WORDS = {"green": ("正常", "Good"), "amber": ("关注", "Watch"), "red": ("落后", "Behind"), None: ("无数据", "No data")}


@dataclass(frozen=True)
class Threshold:
    measure: str
    higher_is_better: bool
    green: float
    amber: float
    label_zh: str
    label_en: str

    def judge(self, value) -> str | None:
        if value is None or value != value:
            return None
        v = float(value)
        if self.higher_is_better:
            return "green" if v >= self.green else "amber" if v >= self.amber else "red"
        return "green" if v <= self.green else "amber" if v <= self.amber else "red"

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_zh


@functools.lru_cache(maxsize=4)
def _load(reference_dir: str) -> dict[str, Threshold]:
    folder = Path(reference_dir)
    if not (folder / "thresholds.csv").exists():  # a data folder made before the file existed: the repo's
        folder = Path(__file__).resolve().parent.parent / "data" / "reference"
    return {r["measure"]: Threshold(r["measure"], r["better"] == "higher", float(r["green"]), float(r["amber"]),
                                    r["label_zh"], r["label_en"]) for r in read_table(folder, "thresholds")}


def thresholds() -> dict[str, Threshold]:
    return _load(str(data_paths().reference))


def judge(measure: str, value) -> str | None:
    """'green', 'amber', 'red', or None when there is no value."""
    return thresholds()[measure].judge(value)


def word(level: str | None, lang: str) -> str:
    zh, en = WORDS[level]
    return en if lang == "en" else zh


def share(part, whole) -> float | None:
    """part / whole, None when there is nothing to divide by."""
    try:
        return None if not whole else float(part) / float(whole)
    except (TypeError, ValueError):
        return None
