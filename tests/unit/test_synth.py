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
