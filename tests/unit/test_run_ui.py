"""`plankpi run`'s terminal: one line per step with its time and counts; what steps print goes to a file."""
import os

from types import SimpleNamespace

from pipelines.run_ui import _counts, _terminal_to, step_line


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
