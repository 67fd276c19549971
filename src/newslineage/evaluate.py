"""Score a JSON export against a ground truth (examples/truth.json, bench/generate.py).

The truth names articles by *ref*: the JSONL record's ``id``, else the input file's base
name, plus ``#N`` for the N-th item (0-based) of a feed or JSONL file without ids. An export
article gets its ref the same way: ``external_id``, else ``origin_file`` (+ ``#origin_item``).

Scores:

- derivations: precision/recall/F1 over unordered article pairs, per relation kind and for
  "any kind" (a predicted ``same_story`` relation is not a derivation and is ignored);
- direction accuracy over the correctly found pairs (predicted source == true source);
- story clustering with B-cubed precision/recall/F1 (Bagga & Baldwin 1998, "Entity-based
  cross-document coreferencing using the vector space model"), averaged over all truth
  articles; an article that no predicted story holds is its own singleton cluster;
- original accuracy over the truth stories that name an original;
- findings per kind: a prediction matches an unmatched truth finding with the same article
  and kind whose ``derived_text`` overlaps the predicted ``derived_span``.

Articles in the export but not in the truth are ignored; truth articles missing from the
export count as misses.

>>> truth = {"articles": ["a", "b"], "relations": [{"source": "a", "derived": "b", "kind": "copy"}],
...          "stories": [{"articles": ["a", "b"], "original": "a"}], "findings": []}
>>> export = {"articles": [{"id": "1", "external_id": "a"}, {"id": "2", "external_id": "b"}],
...           "relations": [{"source": "1", "derived": "2", "kind": "copy"}],
...           "stories": [{"articles": ["1", "2"], "original": "1"}], "findings": []}
>>> r = evaluate(truth, export)
>>> (r.derivation.f1, r.direction_accuracy, r.bcubed.f1, r.original_accuracy)
(1.0, 1.0, 1.0, 1.0)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from newslineage.errors import InputError

ANY_KIND = "any"


@dataclass(frozen=True, slots=True)
class Score:
    """Counts and precision/recall/F1 for one measured thing.

    An empty side scores 1.0 when the other side is empty too (nothing to find, nothing
    claimed), else 0.0, so "predicted nothing" never looks perfect.
    """

    true_positives: int
    predicted: int
    expected: int
    precision: float
    recall: float
    f1: float

    @classmethod
    def from_counts(
        cls, tp_predicted: int, predicted: int, tp_expected: int, expected: int
    ) -> Score:
        """Build from matched counts on each side (they differ for B-cubed-like sums)."""
        p = tp_predicted / predicted if predicted else float(expected == 0)
        r = tp_expected / expected if expected else float(predicted == 0)
        return cls(tp_predicted, predicted, expected, p, r, _f1(p, r))

    @classmethod
    def from_rates(cls, precision: float, recall: float, n: int) -> Score:
        """Build from averaged rates (B-cubed), ``n`` items on both sides."""
        return cls(0, n, n, precision, recall, _f1(precision, recall))


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class EvalReport:
    """All scores of one export against one truth; ``to_dict()`` for JSON, ``render_table()`` for people."""

    truth_articles: int
    matched_articles: int  # truth articles that the export holds
    derivation: Score  # any kind
    by_kind: dict[str, Score] = field(default_factory=dict)
    direction_accuracy: float | None = None
    direction_pairs: int = 0
    bcubed: Score = field(default_factory=lambda: Score.from_rates(1.0, 1.0, 0))
    original_accuracy: float | None = None
    original_stories: int = 0
    findings: Score = field(default_factory=lambda: Score.from_counts(0, 0, 0, 0))
    findings_by_kind: dict[str, Score] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict."""
        return asdict(self)

    def render_table(self) -> str:
        """A plain-text table, one line per score."""
        lines = [
            f"articles: {self.matched_articles}/{self.truth_articles} of the truth in the export",
            f"{'measure':<28}{'P':>8}{'R':>8}{'F1':>8}{'pred':>8}{'true':>8}",
        ]
        lines.append(_row("derivation (any kind)", self.derivation))
        lines += [_row(f"  {kind}", s) for kind, s in sorted(self.by_kind.items())]
        lines.append(_row("stories (B-cubed)", self.bcubed, counts=False))
        lines.append(_row("findings (all)", self.findings))
        lines += [_row(f"  {kind}", s) for kind, s in sorted(self.findings_by_kind.items())]
        lines.append(
            f"direction accuracy: {_pct(self.direction_accuracy)} over {self.direction_pairs} pairs"
        )
        lines.append(
            f"original accuracy:  {_pct(self.original_accuracy)} over {self.original_stories} stories"
        )
        return "\n".join(lines)


def _row(name: str, s: Score, counts: bool = True) -> str:
    tail = f"{s.predicted:>8}{s.expected:>8}" if counts else ""
    return f"{name:<28}{s.precision:>8.3f}{s.recall:>8.3f}{s.f1:>8.3f}{tail}"


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def evaluate(truth: Mapping[str, Any], export: Mapping[str, Any]) -> EvalReport:
    """Score ``export`` (the JSON export contract) against ``truth`` (refs, see module doc)."""
    truth_refs = _truth_articles(truth)
    id_to_ref = {
        a["id"]: ref for a in export.get("articles", []) if (ref := article_ref(a)) in truth_refs
    }
    texts = {
        id_to_ref[a["id"]]: a.get("text") or ""
        for a in export.get("articles", [])
        if a["id"] in id_to_ref
    }
    true_pairs = _truth_pairs(truth)
    pred_pairs = _predicted_pairs(export, id_to_ref)
    derivation, by_kind = _derivation_scores(true_pairs, pred_pairs)
    direction, n_dir = _direction_accuracy(true_pairs, pred_pairs)
    true_clusters = _truth_clusters(truth, truth_refs)
    pred_clusters = _predicted_clusters(export, id_to_ref)
    original, n_orig = _original_accuracy(truth, export, id_to_ref)
    findings, findings_by_kind = _finding_scores(truth, export, id_to_ref, texts)
    return EvalReport(
        truth_articles=len(truth_refs),
        matched_articles=len(set(id_to_ref.values())),
        derivation=derivation,
        by_kind=by_kind,
        direction_accuracy=direction,
        direction_pairs=n_dir,
        bcubed=bcubed(true_clusters, pred_clusters, truth_refs),
        original_accuracy=original,
        original_stories=n_orig,
        findings=findings,
        findings_by_kind=findings_by_kind,
    )


def article_ref(article: Mapping[str, Any]) -> str:
    """The truth ref of one export article.

    >>> article_ref({"id": "x", "origin_file": "feed.xml", "origin_item": 2, "external_id": None})
    'feed.xml#2'
    """
    if article.get("external_id") is not None:
        return str(article["external_id"])
    origin = article.get("origin_file")
    if origin is None:
        return str(article["id"])  # nothing else to go by
    item = article.get("origin_item")
    # a plain file has origin_item None; a feed or JSONL item carries its 0-based index
    return f"{origin}#{item}" if item is not None else str(origin)


def _truth_articles(truth: Mapping[str, Any]) -> set[str]:
    if not isinstance(truth.get("articles"), list):
        raise InputError(
            "truth", "no 'articles' list", "give a truth dict as in examples/truth.json"
        )
    return {str(r) for r in truth["articles"]}


Pair = frozenset[str]


def _truth_pairs(truth: Mapping[str, Any]) -> dict[Pair, tuple[str, str]]:
    """Unordered pair -> (kind, source) for every true derivation."""
    pairs: dict[Pair, tuple[str, str]] = {}
    for rel in truth.get("relations", []):
        pair = frozenset((rel["source"], rel["derived"]))
        if rel["kind"] != "same_story" and len(pair) == 2:
            pairs.setdefault(pair, (rel["kind"], rel["source"]))
    return pairs


def _predicted_pairs(
    export: Mapping[str, Any], id_to_ref: dict[str, str]
) -> dict[Pair, tuple[str, str]]:
    """Unordered pair -> (kind, source) for predicted derivations between truth articles.

    When an export holds two relations for one pair, the more confident one counts.
    """
    rels = sorted(export.get("relations", []), key=lambda r: -float(r.get("confidence") or 0.0))
    pairs: dict[Pair, tuple[str, str]] = {}
    for rel in rels:
        src, der = id_to_ref.get(rel["source"]), id_to_ref.get(rel["derived"])
        if rel["kind"] == "same_story" or src is None or der is None or src == der:
            continue
        pairs.setdefault(frozenset((src, der)), (rel["kind"], src))
    return pairs


def _derivation_scores(
    true_pairs: dict[Pair, tuple[str, str]], pred_pairs: dict[Pair, tuple[str, str]]
) -> tuple[Score, dict[str, Score]]:
    hit = sum(1 for p in pred_pairs if p in true_pairs)
    overall = Score.from_counts(hit, len(pred_pairs), hit, len(true_pairs))
    kinds = {k for k, _ in true_pairs.values()} | {k for k, _ in pred_pairs.values()}
    by_kind = {}
    for kind in sorted(kinds):
        pred_k = [p for p, (k, _) in pred_pairs.items() if k == kind]
        n_true = sum(1 for k, _ in true_pairs.values() if k == kind)
        tp = sum(1 for p in pred_k if p in true_pairs and true_pairs[p][0] == kind)
        by_kind[kind] = Score.from_counts(tp, len(pred_k), tp, n_true)
    return overall, by_kind


def _direction_accuracy(
    true_pairs: dict[Pair, tuple[str, str]], pred_pairs: dict[Pair, tuple[str, str]]
) -> tuple[float | None, int]:
    found = [p for p in pred_pairs if p in true_pairs]
    if not found:
        return None, 0
    right = sum(1 for p in found if pred_pairs[p][1] == true_pairs[p][1])
    return right / len(found), len(found)


def _truth_clusters(truth: Mapping[str, Any], refs: set[str]) -> list[set[str]]:
    return [{str(a) for a in s.get("articles", [])} & refs for s in truth.get("stories", [])]


def _predicted_clusters(export: Mapping[str, Any], id_to_ref: dict[str, str]) -> list[set[str]]:
    return [
        {id_to_ref[a] for a in s.get("articles", []) if a in id_to_ref}
        for s in export.get("stories", [])
    ]


def bcubed(
    true_clusters: Iterable[set[str]], pred_clusters: Iterable[set[str]], items: set[str]
) -> Score:
    """B-cubed precision/recall/F1 averaged over ``items`` (Bagga & Baldwin 1998).

    An item in no cluster is a singleton; an item in several clusters keeps the first.

    >>> bcubed([{"a", "b"}], [{"a"}, {"b"}], {"a", "b"}).recall
    0.5
    """
    t, p = _membership(true_clusters, items), _membership(pred_clusters, items)
    if not items:
        return Score.from_rates(1.0, 1.0, 0)
    prec = rec = 0.0
    for item in items:
        common = len(t[item] & p[item])
        prec += common / len(p[item])
        rec += common / len(t[item])
    return Score.from_rates(prec / len(items), rec / len(items), len(items))


def _membership(clusters: Iterable[set[str]], items: set[str]) -> dict[str, frozenset[str]]:
    member: dict[str, frozenset[str]] = {}
    for cluster in clusters:
        frozen = frozenset(cluster & items)
        for item in frozen:
            member.setdefault(item, frozen)
    for item in items:
        member.setdefault(item, frozenset((item,)))
    return member


def _original_accuracy(
    truth: Mapping[str, Any], export: Mapping[str, Any], id_to_ref: dict[str, str]
) -> tuple[float | None, int]:
    """Share of truth stories with an original whose best-matching predicted story names it.

    The best match is the predicted story sharing most articles with the truth story (ties go
    to the one holding the true original), so a stray singleton cannot score by accident.
    """
    predicted = [
        (
            {id_to_ref[a] for a in s.get("articles", []) if a in id_to_ref},
            id_to_ref.get(s.get("original") or ""),
        )
        for s in export.get("stories", [])
    ]
    scored = right = 0
    for story in truth.get("stories", []):
        original = story.get("original")
        if original is None:
            continue
        scored += 1
        members = set(story.get("articles", []))
        best = max(
            predicted, key=lambda ps: (len(ps[0] & members), original in ps[0]), default=None
        )
        if best is not None and best[0] & members and best[1] == original:
            right += 1
    return (right / scored if scored else None), scored


def _finding_scores(
    truth: Mapping[str, Any],
    export: Mapping[str, Any],
    id_to_ref: dict[str, str],
    texts: dict[str, str],
) -> tuple[Score, dict[str, Score]]:
    """Greedy one-to-one matching of predicted to truth findings, per kind.

    The overall score counts only kinds the truth labels, so a truth that never labels
    ``attribution_missing`` does not turn those predictions into false positives.
    """
    true_f = [f for f in truth.get("findings", []) if f.get("article") is not None]
    pred_f = [f for f in export.get("findings", []) if f.get("article") in id_to_ref]
    used: set[int] = set()
    hits: dict[str, int] = {}
    for f in pred_f:
        ref, kind = id_to_ref[f["article"]], f["kind"]
        span = f.get("derived_span")
        for i, t in enumerate(true_f):
            if (
                i not in used
                and t["article"] == ref
                and t["kind"] == kind
                and _overlaps(t, span, texts.get(ref, ""))
            ):
                used.add(i)
                hits[kind] = hits.get(kind, 0) + 1
                break
    kinds = sorted({f["kind"] for f in true_f} | {f["kind"] for f in pred_f})
    by_kind = {}
    for kind in kinds:
        n_pred = sum(1 for f in pred_f if f["kind"] == kind)
        n_true = sum(1 for f in true_f if f["kind"] == kind)
        by_kind[kind] = Score.from_counts(hits.get(kind, 0), n_pred, hits.get(kind, 0), n_true)
    labelled = {f["kind"] for f in true_f}
    tp = sum(hits.get(k, 0) for k in labelled)
    n_pred = sum(1 for f in pred_f if f["kind"] in labelled)
    return Score.from_counts(tp, n_pred, tp, len(true_f)), by_kind


def _overlaps(true_finding: Mapping[str, Any], span: Any, text: str) -> bool:
    """Whether the truth's ``derived_text`` overlaps ``span`` in the export's article text.

    Without a ``derived_text`` or a predicted span (or when the export text no longer holds
    the truth's text, e.g. after a different extraction) article and kind alone decide.
    """
    needle = true_finding.get("derived_text")
    if not needle or not span or needle not in text:
        return True
    start, end = int(span[0]), int(span[1])
    pos = text.find(needle)
    while pos != -1:
        if pos < end and start < pos + len(needle):
            return True
        pos = text.find(needle, pos + 1)
    return False
