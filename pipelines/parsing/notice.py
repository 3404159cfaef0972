"""The cover notice: issuer, date, document number and the plan titles it announces."""
from __future__ import annotations

from ..text.blocks import Block
from . import patterns as P


def parse_notice(blocks: list[Block]) -> dict:
    """``blocks`` are the blocks before the first plan."""
    issuer = doc_number = issue_date = field_date = None
    announced: list[str] = []
    for b in blocks:
        if issuer is None and (m := P.ISSUER.match(b.text)):
            issuer = m.group(1)
        if doc_number is None and (m := P.DOC_NUMBER.search(b.text)):
            # the issuer's abbreviation, not the end of a title on the same line (…的通知临政发〔…〕)
            doc_number = m.group(0).split("通知")[-1]
        if (m := P.DATE.fullmatch(b.text)):
            issue_date = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
        for t in P.ANNOUNCED_TITLE.findall(b.text):
            if t not in announced:
                announced.append(t)
        # 关于印发XX实施方案的通知 without 《》: the notice's own title names the plan (not when the
        # words are inside a 《…》 that cites another notice).
        if not announced and (m := P.NOTICE_TITLE.search(b.text)) and "《" not in m.group(1):
            before = b.text[:m.start()]
            if before.count("《") == before.count("》"):
                announced.append(m.group(1))
        if field_date is None and (m := P.DATE_FIELD.search(b.text)):
            field_date = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    # A web page's 成文日期 / 发布日期 field when the notice's own date line was lost.
    issue_date = issue_date or field_date
    region = None
    if issuer:
        region = issuer.split("人民政府")[0] or None
    return {"issuer": issuer, "region": region, "issue_date": issue_date,
            "doc_number": doc_number, "announced_titles": announced}
