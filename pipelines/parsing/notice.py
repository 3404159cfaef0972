"""The cover notice: issuer, date, document number and the plan titles it announces."""
from __future__ import annotations

from ..text.blocks import Block
from . import patterns as P


def parse_notice(blocks: list[Block]) -> dict:
    """``blocks`` are the blocks before the first plan."""
    issuer = doc_number = issue_date = None
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
        # 关于印发XX实施方案的通知 without 《》: the notice's own title names the plan.
        if not announced and (m := P.NOTICE_TITLE.search(b.text)) and "《" not in m.group(1):
            announced.append(m.group(1))
    region = None
    if issuer:
        region = issuer.split("人民政府")[0] or None
    return {"issuer": issuer, "region": region, "issue_date": issue_date,
            "doc_number": doc_number, "announced_titles": announced}
