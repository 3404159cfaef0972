"""`plankpi run`'s terminal: one line per step with its time and counts; what steps print goes to a file."""
import os

from pipelines.run_ui import _terminal_to, step_line


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
