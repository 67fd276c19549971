"""Chains: made from a copy of the original, or from the original itself (lineage/chains.py)."""

from __future__ import annotations

from newslineage.engines.local import vote_chains
from newslineage.lineage.chains import chain_triples, chain_verdict, chain_votes
from newslineage.lineage.choose import choose_relations
from newslineage.model import Article, Relation

ORIGINAL = (
    "Firefighters worked through the night at the harbour warehouse in Portvale. "
    "The blaze started shortly after nine in the evening, officials said. "
    "Three crews from neighbouring towns joined the effort before midnight. "
    "Nobody was hurt, but the building was badly damaged by the flames. "
    "The port authority said shipping would resume on Friday morning. "
    "Investigators will examine the cause of the fire next week."
)
# a copy with the house style of its outlet: two sentences reworded
MIDDLE = (
    ORIGINAL.replace("worked through the night", "battled all night long")
    .replace("badly damaged by the flames", "left a blackened shell")
    .replace("Investigators will examine", "Fire investigators are to study")
)


def _art(i: str, text: str) -> Article:
    return Article(i, text)


def test_a_copy_of_the_copy_votes_for_the_copy() -> None:
    derived = _art("r", MIDDLE.replace("Three crews", "Three fire crews"))
    votes = chain_votes(_art("o", ORIGINAL), _art("x", MIDDLE), derived)
    assert votes[0] >= 3 and votes[1] == 0
    assert chain_verdict(votes) == "middle"


def test_a_sibling_copy_votes_for_the_original() -> None:
    sibling = _art("r", ORIGINAL.replace("Three crews", "Three fire crews"))
    votes = chain_votes(_art("o", ORIGINAL), _art("x", MIDDLE), sibling)
    assert votes[1] >= 3 and votes[0] == 0
    assert chain_verdict(votes) == "upstream"


def test_identical_material_abstains() -> None:
    assert chain_votes(_art("o", ORIGINAL), _art("x", ORIGINAL), _art("r", ORIGINAL)) == (0, 0)
    assert chain_verdict((0, 0)) is None
    assert chain_verdict((2, 1)) is None  # stray votes decide nothing


def _rel(src: str, der: str, cov: float, verb: float) -> Relation:
    return Relation(src, der, "copy", cov, verb, 0.9, {}, source_coverage=1.0)


def test_triples_and_choice_follow_the_votes() -> None:
    arts = {
        "o": _art("o", ORIGINAL),
        "x": _art("x", MIDDLE),
        "r": _art("r", MIDDLE.replace("Three crews", "Three fire crews")),
    }
    # the original covers the copy-of-a-copy about as well as its middle does
    rels = [_rel("o", "x", 0.95, 0.9), _rel("o", "r", 0.9, 0.85), _rel("x", "r", 0.92, 0.9)]
    assert chain_triples(rels) == [("r", "x", "o")]
    without = choose_relations(rels, arts, {"x", "r"})
    assert {(r.source, r.derived) for r in without} == {("o", "x"), ("o", "r")}
    votes = vote_chains(rels, arts)
    chosen = choose_relations(rels, arts, {"x", "r"}, votes)
    assert {(r.source, r.derived) for r in chosen} == {("o", "x"), ("x", "r")}


def test_a_further_partial_source_lends_a_passage() -> None:
    """A compilation keeps each partial source that lends it a passage word for word; an
    earlier report whose shared facts align with the write-through's own text is no second
    source (synthetic 3k, seed 23: art-001979 -> art-001985, verbatim share 0.06)."""
    arts = {k: _art(k, ORIGINAL) for k in ("o", "p", "q", "c")}

    def partial(src: str, cov: float, verb: float) -> Relation:
        return Relation(src, "c", "partial", cov, verb, 0.8, {}, source_coverage=0.5)

    rels = [partial("o", 0.7, 0.44), partial("p", 0.34, 0.06), partial("q", 0.3, 0.25)]
    chosen = choose_relations(rels, arts, {"c"})
    assert {r.source for r in chosen} == {"o", "q"}


def test_relate_keeps_the_rows_the_votes_read() -> None:
    """The ``BestRows`` ``align_both`` keeps are exactly the arrays ``_best`` computes, so the
    votes read from them are the votes computed again."""
    from newslineage.align.core import align_both
    from newslineage.lineage.chains import _best

    sibling = ORIGINAL.replace("Three crews", "Four crews").replace("Friday", "Monday")
    derived = MIDDLE.replace("The blaze started", "The fire began") + " More soon."
    texts = {"o": ORIGINAL, "x": MIDDLE, "s": sibling, "r": derived}
    arts = {k: _art(k, v) for k, v in texts.items()}
    best: dict = {}
    for a, b in [("r", "o"), ("r", "x"), ("r", "s"), ("x", "o")]:
        align_both(arts[a], arts[b], best=best)
    assert sorted(best) == [("r", "o"), ("r", "s"), ("r", "x"), ("x", "o")]
    for (d, o), rows in best.items():
        want = _best(arts[d], arts[o])
        assert rows.dtype == want.dtype and rows.tobytes() == want.tobytes(), (d, o)
    for up, mid in [("o", "x"), ("s", "x"), ("x", "o")]:
        votes = chain_votes(arts[up], arts[mid], arts["r"], known=best)
        assert votes == chain_votes(arts[up], arts[mid], arts["r"])
    # a wrong row (another article's) would change the votes: the fast path is really read
    wrong = {("r", "x"): best[("r", "o")], ("r", "o"): best[("r", "x")]}
    assert chain_votes(arts["o"], arts["x"], arts["r"], known=wrong) == tuple(
        reversed(chain_votes(arts["o"], arts["x"], arts["r"]))
    )
