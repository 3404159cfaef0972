"""The synthetic province: deterministic, and every document parses as the seed it was made from."""
from pipelines.config import REPO_ROOT
from pipelines.parsing import parse_document
from pipelines.synth import province, reference_tables

SEEDS = sorted((REPO_ROOT / "data" / "plans").iterdir())
REFERENCE = REPO_ROOT / "data" / "reference"


def test_same_size_same_bytes():
    a, b = province(SEEDS, 7), province(SEEDS, 7)
    assert [(d.file_name, d.text) for d in a] == [(d.file_name, d.text) for d in b]
    assert reference_tables(a, REFERENCE) == reference_tables(b, REFERENCE)
    assert len({d.region for d in province(SEEDS, 23)}) == 23


def test_documents_parse_like_their_seeds(tmp_path):
    docs = province(SEEDS, 7)
    tables = reference_tables(docs, REFERENCE)
    ref = tmp_path / "reference"
    ref.mkdir()
    for name, text in tables.items():
        (ref / f"{name}.csv").write_text(text, encoding="utf-8")
    assert tables["regions"].count("\n") == 1 + 63 + 1 + 7 + 1  # header, seed rows, 示例省, 7 regions, 1 city of counties
    for d in docs:
        path = tmp_path / d.file_name
        path.write_text(d.text, encoding="utf-8")
        seed = SEEDS[int(d.file_name[:5]) % len(SEEDS)]
        got, want = parse_document(path, ref), parse_document(seed, REFERENCE)
        assert got["region"] == d.region and d.seed_region not in d.text
        assert [len(p["tasks"]) for p in got["plans"]] == [len(p["tasks"]) for p in want["plans"]]
        assert [len(p["targets"]) for p in got["plans"]] == [len(p["targets"]) for p in want["plans"]]
        units = {u["unit"] for p in got["plans"] for t in p["tasks"] for u in t["units"]}
        assert not any(d.seed_region in u for u in units)


def _inbox_digest(root):
    import hashlib
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((root / "inbox").iterdir())}


def test_a_corpus_is_deterministic_and_lands_whole(tmp_path):
    """`plankpi synth`: the same corpus twice, byte for byte; every synthetic report row lands (only the
    sample's planted bad observation rows are quarantined); each open task is reported by each of its
    units every month for twelve months from the plan's issue month, and never after it is reported done."""
    from pipelines import steps
    from pipelines.config import DataPaths
    from pipelines.synth import write_corpus
    from pipelines.warehouse.schema import connect
    a, b = tmp_path / "a", tmp_path / "b"
    made = write_corpus(SEEDS, 7, REFERENCE, a, log=lambda _: None)
    assert made == {**write_corpus(SEEDS, 7, REFERENCE, b, log=lambda _: None), "seconds": made["seconds"]}
    assert _inbox_digest(a) == _inbox_digest(b)
    assert made["plan_files"] == 7 and made["tasks"] == 71 + 77 + 68 + 69 + 69 + 71 + 77
    paths = DataPaths(a)
    steps.load_parsed_plans(paths, steps.parse_plans(paths))
    steps.load_reference_data(paths)
    reports = steps.ingest_submissions(paths)
    assert len(reports) == made["submission_files"]
    assert sum(r.rows_landed for r in reports if "进展汇总" in r.file_name) == made["progress_rows"]
    assert all(r.status == "landed" for r in reports if "进展汇总" in r.file_name)
    with connect(paths.build_db, read_only=True) as con:
        (after_done,) = con.execute("""
            select count(*) from raw.progress_reports r
            join (select task_id, min(period) as done_in from raw.progress_reports
                  where status_code = 'done' group by task_id) d using (task_id)
            where r.period > d.done_in""").fetchall()[0]
        months = con.execute("""
            select count(distinct period) from raw.progress_reports r join raw.tasks t using (task_id)
            group by t.region, t.plan_id""").fetchall()
        (silent,) = con.execute("""
            select count(*) from (
                select distinct task_id, unit from raw.task_units
                where task_id in (select task_id from raw.progress_reports where period like '%-12')
                except select task_id, unit from raw.progress_reports where period like '%-12')""").fetchall()[0]
    assert after_done == 0
    assert {m for (m,) in months} <= set(range(1, 13)) and max(m for (m,) in months) == 12
    assert silent == 0  # December is never missed: every unit of a task still open then reports it


def test_ingest_in_many_batches_equals_one_batch(tmp_path, monkeypatch):
    """Batching is an implementation detail: a tiny batch size (many transactions) and the default (one)
    leave the same rows, quarantine and file verdicts; a file sent again with one changed cell shares
    every (task, period, unit) with the first and is no duplicate *within a file*, in one batch or two."""
    from pipelines import steps
    from pipelines.config import DataPaths
    from pipelines.submissions import ingest
    from pipelines.synth import write_corpus
    from pipelines.warehouse.schema import connect
    tables = {}
    for name, batch_rows in (("one", ingest.BATCH_ROWS), ("many", 50)):
        root = tmp_path / name
        write_corpus(SEEDS, 2, REFERENCE, root, log=lambda _: None)
        paths = DataPaths(root)
        first = sorted(paths.inbox.glob("*进展汇总*"))[0]
        (paths.inbox / ("again_" + first.name)).write_text(
            first.read_text(encoding="utf-8-sig").replace("示例数据：推进中", "示例数据：推进中（补充）"), encoding="utf-8-sig")
        steps.load_parsed_plans(paths, steps.parse_plans(paths))
        steps.load_reference_data(paths)
        monkeypatch.setattr(ingest, "BATCH_ROWS", batch_rows)
        reports = steps.ingest_submissions(paths)
        with connect(paths.build_db, read_only=True) as con:
            tables[name] = [con.execute(sql).fetchall() for sql in (
                "select * exclude (ingested_at, received_at) from raw.progress_reports order by all",
                "select * exclude (quarantined_at) from raw.quarantine order by all",
                "select file_name, kind, status, rows_landed, rows_rejected from raw.ingested_files order by all")]
        tables[name].append([(r.file_name, r.status, r.rows_landed, r.rows_rejected) for r in reports])
    assert tables["one"] == tables["many"]
    progress, quarantine, files, reports = tables["many"]
    assert len(reports) > 20 and not any(r[3] for r in reports if "进展汇总" in r[0])
    assert {r[5] for r in quarantine} == {"kpi_known", "value_numeric", "unit_matches_catalogue",
                                          "valid_days_in_period"}  # the planted rows (sample.py)
