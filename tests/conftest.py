"""Shared fixtures: the seed plans, and one full pipeline run in a temporary data folder."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipelines.config import DataPaths, REPO_ROOT

SEEDS = REPO_ROOT / "data" / "plans"
AS_OF = "2024-06-30"  # every seed deadline (2021–2023) has passed; sample years are 2021–2023


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    return SEEDS


# The world's plans as governments publish them: two seeds as Word and PDF files (made from the
# seeds by pipelines.synth.office), and a legacy .doc that must be refused, not dropped.
OFFICE_SEEDS = {"001_6d8037a82e9ce14b": "docx", "003_1a3a67b7a1f5494e": "pdf"}
LEGACY_DOC = "旧版通知.doc"


def make_world(root: Path, office: bool = False) -> DataPaths:
    paths = DataPaths(root).ensure()
    for f in SEEDS.iterdir():
        if office and f.stem in OFFICE_SEEDS:
            from pipelines.synth.office import layout_of, write_docx, write_pdf
            write = write_docx if OFFICE_SEEDS[f.stem] == "docx" else write_pdf
            write(layout_of(f), paths.plans / f"{f.stem}.{OFFICE_SEEDS[f.stem]}")
        else:
            shutil.copy2(f, paths.plans / f.name)
    if office:
        (paths.plans / LEGACY_DOC).write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    return paths


def world_after_a_good_run(world, root: Path) -> tuple[DataPaths, str]:
    """A fresh data folder holding the seeds and a copy of the world's warehouse and published snapshot;
    returns it with the name of the snapshot published so far."""
    paths = make_world(root)
    for sub in ("warehouse", "serving"):
        shutil.copytree(world.paths.root / sub, paths.root / sub, dirs_exist_ok=True)
    return paths, (paths.serving / "CURRENT").read_text()


def run_pipeline(paths: DataPaths):
    import dagster as dg
    from pipelines.definitions import build_defs
    from pipelines.defs.resources import PlanKpiResource
    defs = build_defs(PlanKpiResource(data_dir=str(paths.root), as_of=AS_OF))
    job = defs.resolve_job_def("all_assets_job")
    return job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)


@dataclass
class World:
    paths: DataPaths
    result: object
    sample_files: list


@pytest.fixture(scope="session")
def world(tmp_path_factory) -> World:
    """Seeds + generated sample submissions, materialised once through Dagster.

    PLANKPI_TEST_WORLD=<folder of a finished run> reuses that run instead: for iterating on the
    dashboard tests only (there is no Dagster result then, and tests that need one fail)."""
    reuse = os.environ.get("PLANKPI_TEST_WORLD")
    if reuse:
        return World(DataPaths(Path(reuse)), None, [])
    from pipelines.steps import write_sample
    paths = make_world(tmp_path_factory.mktemp("plankpi_data"), office=True)
    written = write_sample(paths)
    result = run_pipeline(paths)
    assert result.success, "the full pipeline run on the default data failed"
    return World(paths, result, written)
