"""The upload path's own checks (issue 22): names, types, the rate limit, and a failing file kept in the
account's rejected folder (audited), never dropped into the inbox."""
from __future__ import annotations

import base64
from types import SimpleNamespace

import duckdb
import pytest

from dashboards import uploads
from pipelines.accounts import store_for
from pipelines.steps import load_parsed_plans, load_reference_data, parse_plans

from tests.conftest import make_world


@pytest.mark.parametrize("name,reason", [
    ("a" * 296 + ".xlsx", "文件名过长（301 个字符）"),
    ("报告\x00.xlsx", "控制字符"),
    ("报告\n.xlsx", "控制字符"),
    (".xlsx", "文件名无效"),
])
def test_names_that_cannot_be_stored_are_refused_with_a_reason(name, reason):
    with pytest.raises(uploads.UploadRefused, match=reason):
        uploads.clean_name(name)


def test_a_usable_name_is_kept_readable():
    assert uploads.clean_name("C:\\Users\\办公室\\进展填报 12月?.xlsx") == "进展填报 12月_.xlsx"


@pytest.mark.parametrize("name", ["报告.pdf", "报告.xls", "报告.xlsm", "报告"])
def test_a_wrong_file_type_says_save_as_xlsx(name):
    with pytest.raises(uploads.UploadRefused, match="请另存为 .xlsx"):
        uploads._checked_bytes("data:;base64," + base64.b64encode(b"%PDF-1.4").decode(), name)


@pytest.fixture()
def unit_upload(tmp_path, monkeypatch):
    """receive() as the dashboard calls it, for 阳泉市 市生态环境局, on a warehouse of the seeds."""
    paths = make_world(tmp_path / "data")
    load_reference_data(paths)
    load_parsed_plans(paths, parse_plans(paths))
    monkeypatch.setenv("PLANKPI_DATA", str(paths.root))
    acc = SimpleNamespace(username="yq_sthjj", region="阳泉市", unit="市生态环境局", role="unit")
    monkeypatch.setattr(uploads.access, "account", lambda: acc)
    monkeypatch.setattr(uploads.data, "snapshot_connection", lambda: duckdb.connect(str(paths.build_db), read_only=True))

    def send(name: str, raw: bytes):
        return uploads.receive("data:application/octet-stream;base64," + base64.b64encode(raw).decode(), name, "zh")
    return paths, send


def _rendered(component) -> str:
    return str(component.to_plotly_json())


def test_a_file_that_fails_is_kept_in_the_rejected_folder_not_the_inbox(unit_upload):
    paths, send = unit_upload
    view = send("坏文件.xlsx", b"PK\x03\x04 not a workbook")
    assert "整个文件被拒收" in _rendered(view)
    assert [p for p in paths.inbox.iterdir() if p.is_file()] == []
    kept = list((paths.root / "rejected" / "yq_sthjj").iterdir())
    assert len(kept) == 1 and kept[0].name.endswith("坏文件.xlsx")
    log = store_for(paths.root).audit_log(actor="yq_sthjj")
    assert log[0]["action"] == "upload_rejected" and log[0]["checksum"]
    reasons = (paths.root / "upload_reports" / "yq_sthjj" / f"{kept[0].name}.reasons.csv").read_text(encoding="utf-8-sig")
    assert "Excel文件已损坏" in reasons


def test_uploads_are_rate_limited_per_account(unit_upload):
    paths, send = unit_upload
    for _ in range(uploads.RATE_LIMIT[0]):
        send("x.pdf", b"%PDF")
    view = send("x.pdf", b"%PDF")
    assert "上传过于频繁" in _rendered(view)
