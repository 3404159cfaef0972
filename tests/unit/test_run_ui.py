"""`plankpi run`'s terminal: one line per step with its time and counts; what steps print goes to a file."""
import os
import sys
from types import SimpleNamespace

import pytest
from dagster._utils.error import serializable_error_info_from_exc_info

from pipelines.config import _data_paths_of
from pipelines.run_ui import _counts, _terminal_to, failure_reason, step_line
from pipelines.steps import NoPlansError, parse_plans


def test_a_step_line_says_what_when_and_how_many():
    line = step_line("parsed_plans", True, 8.94, {"rows": 5665, "files": 50, "seconds": 7.333})
    assert line.startswith("  ✓ parsed_plans") and "8.9 s" in line
    assert "rows 5,665" in line and "files 50" in line and "seconds 7.33" in line
    assert "失败" in step_line("plankpi_dbt_models", False, 1.0, {})


def test_what_a_step_prints_goes_to_the_file_and_the_progress_to_the_terminal(tmp_path, capfd):
    out = tmp_path / "run.out"
    with _terminal_to(out) as terminal:
        os.write(1, b"48 of 168 PASS not_null_x\n")  # as dbt writes, below Python
        print("dagster DEBUG line")
        terminal.write("  ✓ step\n")
    captured = capfd.readouterr().out
    assert "✓ step" in captured and "PASS" not in captured and "DEBUG" not in captured
    assert "48 of 168 PASS" in out.read_text() and "dagster DEBUG line" in out.read_text()


def _materialised(**metadata):
    event = SimpleNamespace(event_type_value="ASSET_MATERIALIZATION",
                            event_specific_data=SimpleNamespace(materialization=SimpleNamespace(metadata=metadata)))
    return SimpleNamespace(dagster_event=event)


def test_a_multi_asset_steps_own_figures_count_once_and_per_table_rows_add_up():
    # submissions: one summary on each of its four tables is 26,000 files, not 104,000
    summary = {"files": 26000, "rows_landed": 3175066, "files_rejected": 0}
    assert _counts([_materialised(**summary) for _ in range(4)]) == summary
    # parsed_plans: rows differ per table (summed), files and seconds are the step's (once)
    plans = [_materialised(rows=r, files=2000, seconds=7.5) for r in (2000, 141600, 300000, 0)]
    assert _counts(plans) == {"rows": 443600, "files": 2000, "seconds": 7.5}
    # one asset: its figures as they are
    assert _counts([_materialised(rows=5, files=1)]) == {"rows": 5, "files": 1}


def test_a_plans_folder_with_nothing_readable_fails_with_the_reason_in_both_languages(tmp_path):
    paths = _data_paths_of(str(tmp_path / "data"))
    paths.plans.mkdir(parents=True)
    with pytest.raises(NoPlansError, match="没有计划文件.*no plan documents"):
        parse_plans(paths)
    # a Word file cut short in transfer, as a mail gateway leaves it: named .docx, not a zip archive
    (paths.plans / "某县2024年大气污染防治实施方案.docx").write_bytes(b"PK\x03\x04" + bytes(range(200)))
    with pytest.raises(NoPlansError, match="均无法解析.*could be parsed: 某县2024年大气污染防治实施方案.docx: "):
        parse_plans(paths)


def test_a_failed_step_says_its_reason_on_the_terminal_not_only_in_the_log():
    try:
        try:
            raise NoPlansError("data/plans 中没有计划文件 / no plan documents in data/plans")
        except NoPlansError as cause:
            raise RuntimeError('Error occurred while executing op "parsed_plans"') from cause
    except RuntimeError:
        error = serializable_error_info_from_exc_info(sys.exc_info())
    event = SimpleNamespace(step_failure_data=SimpleNamespace(error=error))
    assert failure_reason(event) == "data/plans 中没有计划文件 / no plan documents in data/plans"
