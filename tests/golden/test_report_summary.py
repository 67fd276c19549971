"""A summary's article page: each sentence beside the source sentences that support it.

The corpus (``summary_report`` in tests/conftest.py) is a long report and a digest of it with
a wrong figure, a wrong name and an invented sentence; the page must show every one of them
on its sentence, with the source sentence it was checked against.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from newslineage import api


def _rows(report: Path, article_id: str) -> list[str]:
    page = (report / f"article-{article_id}.html").read_text(encoding="utf-8")
    section = page.split('<section class="supportcheck"', 1)[1].split("</section>", 1)[0]
    return section.split('<tr class="checked')[1:]


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def test_each_digest_sentence_shows_its_support_and_findings(
    summary_report: tuple[Path, str, str],
) -> None:
    report, _, digest = summary_report
    rows = _rows(report, digest)
    assert len(rows) == 5
    derived = [_text(r.split('<td class="support">')[0]) for r in rows]
    support = [_text(r.split('<td class="support">')[1]) for r in rows]
    assert "9.7 million pounds" in derived[1] and "number_changed" in derived[1]
    assert "expected to cost 2.4 million pounds" in support[1]
    assert "Helen Brask" in derived[2] and "name_changed" in derived[2]
    assert "Council leader Marta Quillon said" in support[2]
    assert "unsourced_sentence" in derived[4] and "as checked at analysis" in support[4]
    assert "closest source sentence" in support[4]  # its best match is no support
    for i in (0, 3):  # verbatim sentences: no finding, their source sentence beside them
        assert "flagged" not in rows[i].split(">")[0]
        assert derived[i].split(" ", 2)[2][:60] in support[i]
    # the changed words are marked on both sides
    assert '<mark class="finding' in rows[1].split('<td class="support">')[1]


def test_support_detail_survives_the_store(summary_report: tuple[Path, str, str]) -> None:
    report, source, digest = summary_report
    store = api.open_store(str(report.parent / "s.db"))
    found = [f for f in store.findings() if f.article == digest]
    store.close()
    checked = [f for f in found if f.detail.get("method") == "support"]
    assert checked, [f.kind for f in found]
    for f in checked:
        assert f.source_article == source
        assert f.detail["support"] and list(f.source_span or ()) == f.detail["support"][0]
