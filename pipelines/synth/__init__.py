"""A synthetic province (示例省) for benchmarks: N plan documents written in the style of the five seeds.

Document i is seed i mod 5 issued by a synthetic government of the same level (a 市 for a city seed, a
县 for a county seed), its own region name replaced everywhere in the text (so its units are other units),
its years moved back by 0–2 years and its concentration targets changed by a few µg/m³, so every
document parses as its seed does but the parser does the real work on each one. The reference data are
extended with the new regions (under synthetic cities) and with the seed region's unit aliases for each
new region. Same size and seed in, same bytes out.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..readers import read_lines
from ..reference import read_table

CITY_SEEDS = {"阳泉市", "晋城市"}  # the seeds issued by cities; the others by counties
COUNTIES_PER_CITY = 10


_DIGITS = "甲乙丙丁戊己庚辛壬癸"  # region names are Chinese words: 示例乙丙丁县, never digits


@dataclass(frozen=True)
class SyntheticDoc:
    file_name: str
    region: str
    city: str
    seed_region: str
    text: str


def _seed_regions(seeds: list[Path]) -> dict[Path, str]:
    """The issuing region of each seed, read from its first lines (…人民政府办公室 / 人民政府)."""
    out = {}
    for path in seeds:
        head = "".join(read_lines(path)[:15])
        for name in ("阳泉市", "晋城市", "芮城县", "新绛县", "阳城县"):
            if name in head:
                out[path] = name
                break
        else:
            raise ValueError(f"cannot tell which region issued {path.name}")
    return out


def _word(n: int) -> str:
    return "".join(_DIGITS[int(d)] for d in f"{n:04d}")


def _names(i: int, city_level: bool) -> tuple[str, str]:
    """(region, its parent) of synthetic document i: a city under the province, or a county under one of
    the synthetic cities that hold the counties (COUNTIES_PER_CITY county documents each)."""
    if city_level:
        return f"示例{_word(i)}市", "示例省"
    return f"示例{_word(i)}县", f"示例{_word(i // COUNTIES_PER_CITY)}州市"


YEAR = re.compile(r"(20[12]\d)(?=\s*年)")
CONCENTRATION = re.compile(r"(\d+(?:\.\d+)?)(?=\s*微克)")


def _vary(text: str, i: int, n_seeds: int) -> str:
    """Other years and other numbers for document i (the first n_seeds documents keep the seeds' own)."""
    back, more = (i // n_seeds) % 3, (i // n_seeds) % 4
    if back:
        text = YEAR.sub(lambda m: str(int(m.group(1)) - back), text)
    if more:
        text = CONCENTRATION.sub(lambda m: f"{float(m.group(1)) + more:g}", text)
    return text


def province(seeds: list[Path], n_docs: int) -> list[SyntheticDoc]:
    seeds = sorted(seeds)
    regions = _seed_regions(seeds)
    docs = []
    for i in range(n_docs):
        seed = seeds[i % len(seeds)]
        seed_region = regions[seed]
        region, city = _names(i, seed_region in CITY_SEEDS)
        text = _vary("\n".join(read_lines(seed)).replace(seed_region, region), i, len(seeds)) + "\n"
        docs.append(SyntheticDoc(f"{i:05d}_{region}.txt", region, city, seed_region, text))
    return docs


def _csv(rows: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def reference_tables(docs: list[SyntheticDoc], reference_dir: Path) -> dict[str, str]:
    """regions.csv and unit_aliases.csv extended for the synthetic regions; the other tables as they are."""
    regions = read_table(reference_dir, "regions")
    aliases = read_table(reference_dir, "unit_aliases")
    known = {r["region"] for r in regions} | {"示例省"}
    regions.append({"region": "示例省", "parent": "", "level": "province", "name_en": "Sample province",
                    "display_name": "示例省"})
    seed_aliases = list(aliases)
    for d in docs:
        if d.city not in known:
            regions.append({"region": d.city, "parent": "示例省", "level": "city", "name_en": "",
                            "display_name": d.city})
            known.add(d.city)
        level = "city" if d.seed_region in CITY_SEEDS else "county"
        regions.append({"region": d.region, "parent": d.city, "level": level, "name_en": "",
                        "display_name": d.region})
        known.add(d.region)
        aliases += [{**a, "region": d.region, "alias": a["alias"].replace(d.seed_region, d.region),
                     "unit": a["unit"].replace(d.seed_region, d.region)}
                    for a in seed_aliases if a["region"] == d.seed_region]
    out = {name: (Path(reference_dir) / f"{name}.csv").read_text(encoding="utf-8")
           for name in ("kpi_catalogue", "reporting_schedule", "indicator_reporters", "report_contacts",
                        "allocated_targets", "review_policy", "escalation_rules", "unit_contacts")}
    out["regions"] = _csv(regions, list(regions[0]))
    out["unit_aliases"] = _csv(aliases, list(aliases[0]))
    return out


def write_province(seeds: list[Path], n_docs: int, reference_dir: Path, root: Path) -> list[Path]:
    """Plans into root/plans and the extended reference tables into root/reference."""
    (root / "plans").mkdir(parents=True, exist_ok=True)
    (root / "reference").mkdir(parents=True, exist_ok=True)
    docs = province(seeds, n_docs)
    written = []
    for d in docs:
        path = root / "plans" / d.file_name
        path.write_text(d.text, encoding="utf-8")
        written.append(path)
    for name, text in reference_tables(docs, reference_dir).items():
        (root / "reference" / f"{name}.csv").write_text(text, encoding="utf-8")
    return written


def write_corpus(seeds: list[Path], n_docs: int, reference_dir: Path, root: Path, log=print) -> dict:
    """A whole data folder: plans, reference tables, and a year of monthly submissions in root/inbox."""
    import time

    from ..config import DataPaths
    from ..parsing.folder import parse_folder
    from ..reference import kpi_catalogue
    from .reports import write_province_reports
    started = time.perf_counter()
    paths = DataPaths(root).ensure()
    plans = write_province(seeds, n_docs, reference_dir, root)
    log(f"计划文件 / plan files: {len(plans)} ({time.perf_counter() - started:.1f} s)")
    parsed = parse_folder(paths.plans, paths.reference)
    tasks = sum(len(p["tasks"]) for d in parsed.docs for p in d["plans"])
    log(f"解析 / parsed: {len(parsed.docs)} documents, {tasks} tasks ({time.perf_counter() - started:.1f} s)")
    catalogue = {r["kpi"]: r for r in kpi_catalogue(paths.reference).rows}
    step = max(1, len(parsed.docs) // 10)

    def progress(done: int, total: int, rows: int) -> None:
        if done % step == 0 or done == total:
            log(f"填报文件 / submissions: {done}/{total} regions, {rows} progress rows "
                f"({time.perf_counter() - started:.1f} s)")

    files, rows = write_province_reports(parsed.docs, catalogue, paths.inbox, progress)
    return {"plan_files": len(plans), "tasks": tasks, "submission_files": len(files), "progress_rows": rows,
            "seconds": round(time.perf_counter() - started, 1)}
