"""The inbox sensor asks for a run when files wait in the inbox, and only then."""
import dagster as dg

from pipelines.defs.automation import inbox_sensor


def test_inbox_sensor(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANKPI_DATA", str(tmp_path))
    (tmp_path / "inbox").mkdir()
    assert isinstance(inbox_sensor(dg.build_sensor_context()), dg.SkipReason)
    (tmp_path / "inbox" / "市城管局_2023-07.xlsx").write_bytes(b"x")
    request = inbox_sensor(dg.build_sensor_context())
    assert isinstance(request, dg.RunRequest) and request.tags["plankpi/inbox_files"] == "1"
    again = inbox_sensor(dg.build_sensor_context())
    assert again.run_key == request.run_key  # same files, same key: Dagster starts one run only
