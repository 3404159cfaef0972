"""The bulletin's pure parts: periods, the sample mark that cannot be left out, the long lists' cut."""
import io

import pytest
from docx import Document

from pipelines.bulletin import BulletinError, Period
from pipelines.bulletin.render import PAGE_ROWS, capped, ensure_sample_mark


def test_periods_parse_and_step_over_the_year():
    p = Period.parse("2024-01")
    assert (p.previous().key, p.next().key, p.label) == ("2023-12", "2024-02", "2024年01月")
    assert str(Period.parse("2023-12").last_day) == "2023-12-31" and str(Period.parse("2024-02").last_day) == "2024-02-29"
    for bad in ("2024-13", "2024-1", "202401", "", "2024-00"):
        with pytest.raises(BulletinError, match="YYYY-MM"):
            Period.parse(bad)


def _docx(header_text: str, sections: int = 1) -> bytes:
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = header_text
    for _ in range(sections - 1):
        doc.add_section()
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_sample_mark_is_put_back_into_every_unlinked_header():
    doc = Document(io.BytesIO(ensure_sample_mark(_docx("某某局通报"), sample=True)))
    assert "示例数据" in "".join(p.text for p in doc.sections[0].header.paragraphs)
    two = _docx("", sections=2)
    unlinked = Document(io.BytesIO(two))
    unlinked.sections[1].header.is_linked_to_previous = False
    buf = io.BytesIO()
    unlinked.save(buf)
    marked = Document(io.BytesIO(ensure_sample_mark(buf.getvalue(), sample=True)))
    assert all("示例数据" in "".join(p.text for p in s.header.paragraphs) for s in marked.sections)
    # kept as it is when the template already says it, or when there is no sample data
    already = _docx("示例数据")
    assert ensure_sample_mark(already, sample=True) == already
    assert "示例数据" not in Document(io.BytesIO(ensure_sample_mark(_docx("正式"), sample=False))).sections[0].header.paragraphs[0].text


def test_long_lists_are_cut_and_counted():
    rows = lambda n: [{"i": i} for i in range(n)]  # noqa: E731
    ctx = {"annex": rows(PAGE_ROWS["annex"] + 5), "overdue_by_unit": rows(3), "gaps": rows(0),
           "escalations": rows(PAGE_ROWS["escalations"] + 1),
           "changes": {"tasks": rows(PAGE_ROWS["changes.tasks"] * 2), "how": ""}}
    cut = capped(ctx)
    assert (len(cut["annex"]), cut["annex_total"]) == (PAGE_ROWS["annex"], PAGE_ROWS["annex"] + 5)
    assert (len(cut["overdue_by_unit"]), cut["overdue_by_unit_total"], cut["gaps_total"]) == (3, 3, 0)
    assert (len(cut["changes"]["tasks"]), cut["changes"]["tasks_total"]) == (100, 200)
    assert (len(cut["escalations"]), cut["escalations_total"]) == (PAGE_ROWS["escalations"], PAGE_ROWS["escalations"] + 1)
    assert len(ctx["annex"]) == PAGE_ROWS["annex"] + 5  # the workbook's lists are left whole


def test_the_schedule_follows_the_reporting_deadline():
    from pipelines.defs.automation import bulletin_day, monthly_bulletin_schedule
    assert bulletin_day() == 11  # reporting_schedule.csv: due on the 10th of the next month
    assert monthly_bulletin_schedule.cron_schedule == "0 8 11 * *"
