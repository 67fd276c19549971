"""Golden: the seed corpus through align + lineage only (no extraction module, no store).

A small helper here turns the seeds into Articles: feed items via feedparser + lxml, the
HuffPost donation block and "Source link" dropped, scraper debris lines dropped.
"""

from __future__ import annotations

import collections
import csv
import itertools
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import lxml.html
import pytest

from newslineage.align import align_articles
from newslineage.lineage import classify_relation, cluster_stories, relate
from newslineage.model import DERIVATION_KINDS, Article, Relation
from newslineage.text import naive_sentences

_DONATION = re.compile(r"Go Ad-Free.*?Log in to hide these messages\.", re.S)
_DEBRIS = {"The story continues under this ad"}


def _article(aid: str, text: str, **kw: object) -> Article:
    text = "\n".join(line.strip() for line in text.splitlines() if line.strip())
    return Article(id=aid, text=text, sentences=naive_sentences(text), **kw)  # type: ignore[arg-type]


def _plain(path: Path) -> Article:
    raw = path.read_text(encoding="utf-8")
    lines = [ln for ln in raw.strip().splitlines() if ln.strip() not in _DEBRIS]
    text = "\n".join(lines)
    published = None
    m = re.match(r"\s*date (\d{4}-\d{2}-\d{2}) ", text)
    if m:  # 000's metadata line: "date 2025-02-11 BRUSSELS (AP) — ..."
        published = datetime.fromisoformat(m.group(1)).replace(tzinfo=UTC)
        text = text[m.end() :]
    credits = ("AP",) if "(AP)" in text[:200] else ()
    return _article(
        path.name[:3], text, published=published, credits=credits, origin_file=path.name
    )


def _feed_items(path: Path) -> list[Article]:
    feed = feedparser.parse(str(path))
    out = []
    for k, entry in enumerate(feed.entries):
        tree = lxml.html.fromstring(entry.content[0].value)
        via = None
        for a in tree.iter("a"):
            if (a.text_content() or "").strip() == "Source link":
                via = a.get("href")
                a.drop_tree()
        for block in tree.iter("p", "div", "h4", "br", "li", "blockquote"):
            block.tail = (block.tail or "") + "\n"
        text = _DONATION.sub("", tree.text_content())
        credits = ("AP",) if "(AP)" in text[:300] else ()
        published = datetime(*entry.published_parsed[:6], tzinfo=UTC)
        out.append(
            _article(
                f"004#{k}",
                text,
                title=entry.title,
                url=entry.link,
                outlet="eznews.xyz",
                published=published,
                credits=credits,
                via=via,
                links=(via,) if via else (),
                origin_file=path.name,
                origin_item=k,
            )
        )
    return out


def load_seed_articles(seeds: Path) -> list[Article]:
    """The 8 seed articles: 000-003 plain text, 004#0-3 feed items."""
    plain = [_plain(p) for p in sorted(seeds.glob("00[0-3]_*.txt"))]
    return plain + _feed_items(next(seeds.glob("004_*.txt")))


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path) -> dict[str, Article]:
    arts = load_seed_articles(seeds_dir)
    assert [a.id for a in arts] == ["000", "001", "002", "003", "004#0", "004#1", "004#2", "004#3"]
    return {a.id: a for a in arts}


@pytest.fixture(scope="module")
def relations(seeds: dict[str, Article]) -> dict[frozenset[str], Relation]:
    out = {}
    for a, b in itertools.combinations(seeds.values(), 2):
        rel = relate(a, b)
        if rel is not None:
            out[frozenset((a.id, b.id))] = rel
    return out


def _derivation(relations: dict[frozenset[str], Relation], x: str, y: str) -> Relation | None:
    rel = relations.get(frozenset((x, y)))
    return rel if rel is not None and rel.kind in DERIVATION_KINDS else None


def test_seed_helper_drops_boilerplate(seeds: dict[str, Article]) -> None:
    assert seeds["000"].published == datetime(2025, 2, 11, tzinfo=UTC)
    assert seeds["000"].text.startswith("BRUSSELS (AP)")
    assert "continues under this ad" not in seeds["001"].text
    for k in ("004#1", "004#2"):
        assert "Go Ad-Free" not in seeds[k].text and "Source link" not in seeds[k].text
        assert seeds[k].credits == ("AP",)


def test_000_to_001_is_a_rewrite(relations: dict[frozenset[str], Relation]) -> None:
    rel = _derivation(relations, "000", "001")
    assert rel is not None and (rel.source, rel.derived, rel.kind) == ("000", "001", "rewrite")
    assert rel.coverage > 0.85 and rel.verbatim_share < 0.5


def test_000_to_feed_item_2_is_partial(relations: dict[frozenset[str], Relation]) -> None:
    rel = _derivation(relations, "000", "004#2")
    assert rel is not None and (rel.source, rel.derived, rel.kind) == ("000", "004#2", "partial")
    # about six paragraphs of 000 in a longer write-through
    assert 0.1 < rel.coverage < 0.5 and rel.evidence["features"]["strong_pairs"] >= 5
    direction = rel.evidence["direction"]
    assert "published" in direction["agree"] and not direction["disagreement"]
    assert direction["external_origin"] == "huffpost.com"  # its Source link, outside the corpus


@pytest.mark.parametrize("other", ["000", "001", "002", "004#0", "004#1", "004#2", "004#3"])
def test_003_is_common_ground_only(relations: dict[frozenset[str], Relation], other: str) -> None:
    # it shares no more than a paraphrased quote or two with any seed: not even partial
    rel = _derivation(relations, "003", other)
    assert rel is None, f"003 vs {other}: {rel.kind if rel else ''}"


def test_no_derivation_between_feed_items_or_000_002(
    relations: dict[frozenset[str], Relation],
) -> None:
    assert _derivation(relations, "004#1", "004#2") is None
    assert _derivation(relations, "000", "002") is None


def test_only_two_derivations_in_the_seeds(relations: dict[frozenset[str], Relation]) -> None:
    found = sorted(
        (r.source, r.derived, r.kind) for r in relations.values() if r.kind in DERIVATION_KINDS
    )
    assert found == [("000", "001", "rewrite"), ("000", "004#2", "partial")]


def test_seed_stories(seeds: dict[str, Article], relations: dict[frozenset[str], Relation]) -> None:
    stories = cluster_stories(list(seeds.values()), list(relations.values()))
    by_member = {a: s for s in stories for a in s.articles}
    main = by_member["000"]
    assert set(main.articles) == {"000", "001", "002", "003", "004#1", "004#2"}
    assert main.original == "000" and main.external_origin is None
    roles = {e.article: e.role for e in main.timeline}
    assert roles["000"] == "original" and roles["001"] == "derived" and roles["002"] == "report"
    for lone in ("004#0", "004#3"):
        assert by_member[lone].articles == (lone,)
        # its own original in the corpus, taken from an outlet outside it
        assert by_member[lone].original == lone
    assert by_member["004#0"].external_origin == "nytimes.com"
    assert len(stories) == 3 and len({s.id for s in stories}) == 3


# --- Clough & Stevenson (2011): real human reuse with gold labels --------------------------

_CS = (
    Path(
        os.environ.get(
            "NEWSLINEAGE_DEVDATA", Path(__file__).resolve().parents[2].parent / "shared" / "devdata"
        )
    )
    / "clough-stevenson"
)
_ACCEPT = {
    "cut": {"copy", "excerpt", "duplicate"},
    "light": {"copy", "rewrite"},
    "heavy": {"rewrite", "partial"},
    "non": {"same_story", "none"},
}


def _cs_article(path: Path) -> Article:
    raw = path.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n")
    return _article(path.stem, raw)


@pytest.fixture(scope="module")
def cs_confusion() -> dict[str, collections.Counter[str]]:
    if not (_CS / "file_information.csv").is_file():
        pytest.skip(f"Clough & Stevenson corpus not found at {_CS}")
    confusion: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    with (_CS / "file_information.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["Category"] == "orig":
                continue
            orig = _cs_article(_CS / f"orig_task{row['Task']}.txt")
            answer = _cs_article(_CS / row["File"])
            rel = classify_relation(orig, answer, align_articles(orig, answer))
            confusion[row["Category"]][rel.kind if rel else "none"] += 1
    print("\nClough & Stevenson confusion (label -> kind):")
    for label in ("cut", "light", "heavy", "non"):
        print(f"  {label:6}", dict(confusion[label].most_common()))
    return confusion


def _hits(confusion: dict[str, collections.Counter[str]], label: str, kinds: set[str]) -> int:
    return sum(n for kind, n in confusion[label].items() if kind in kinds)


def test_clough_stevenson_non_is_never_a_derivation(cs_confusion) -> None:
    assert _hits(cs_confusion, "non", set(DERIVATION_KINDS)) == 0


def test_clough_stevenson_floors(cs_confusion) -> None:
    # measured: cut 9/19 (2 more cut from parts of the Wikipedia page that the orig
    # file lacks, 7 partial for the same reason; g0pD_taska, 64% verbatim, is a rewrite
    # since a copy must be at least 75% verbatim: LineageParams.copy_verbatim), light 10/19,
    # heavy 10/19, non 38/38.
    # heavy was 12/19 before partials needed a verbatim passage or coverage >= 0.3
    # (LineageParams.partial_paraphrase_coverage), which stopped 41 false partials among
    # 500 synthetic articles (independent reports sharing facts and quotes).
    floors = {"cut": 9, "light": 9, "heavy": 10, "non": 38}
    for label, floor in floors.items():
        got = _hits(cs_confusion, label, _ACCEPT[label])
        assert got >= floor, f"{label}: {got}/19 accepted kinds, floor {floor}"
    # every reused answer is seen as derived in most cases, whatever the exact kind
    assert _hits(cs_confusion, "cut", set(DERIVATION_KINDS)) >= 16
    assert _hits(cs_confusion, "light", set(DERIVATION_KINDS)) >= 17
    assert _hits(cs_confusion, "heavy", set(DERIVATION_KINDS)) >= 11  # 13 before, see above
