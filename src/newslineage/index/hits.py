"""Candidate pairs and the hit lists they are merged from: what the candidate channels give.

A hit is ``(a, b, channel, score)``: one channel found articles ``a`` and ``b`` worth aligning.
:func:`merge_hits` makes one :class:`Candidate` per unordered pair, with all its channels and
each channel's best score, whatever order the hits came in.

>>> [c] = merge_hits([("y", "x", "story", 0.4), ("x", "y", "minhash", 0.9)])
>>> (c.a, c.b, sorted(c.channels), c.score)
('x', 'y', ['minhash', 'story'], 0.9)
"""

from __future__ import annotations

from dataclasses import dataclass

#: one channel's hit: (article id, article id, channel, score in [0, 1])
Hit = tuple[str, str, str, float]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A pair worth aligning: ``a < b`` (ids sorted), the channels that found it and the best
    channel score in [0, 1] (containment, matched-sentence share or story-term overlap)."""

    a: str
    b: str
    channels: frozenset[str]
    score: float
    channel_scores: tuple[tuple[str, float], ...] = ()


def late_cover_split(
    hits: list[tuple[str, str, str, float]], new_ids: set[str] | frozenset[str]
) -> tuple[list[tuple[str, str, str, float]], list[Candidate]]:
    """``cover_candidates`` hits of stored short texts split for the summary round: the pairs
    with a new article, for the short texts that reached one, and those short texts' other
    (stored) targets as candidates of their own. The latter were decided by an earlier run;
    they serve as the runner-up context that the summary gate's margin reads."""
    reached = {a for a, b, _, _ in hits if b in new_ids}
    mine = [h for h in hits if h[0] in reached and h[1] in new_ids]
    rivals = merge_hits([h for h in hits if h[0] in reached and h[1] not in new_ids])
    return mine, rivals


def merge_into(
    candidates: list[Candidate], hits: list[tuple[str, str, str, float]]
) -> list[Candidate]:
    """``candidates`` with more ``(a, b, channel, score)`` hits merged in (one per pair)."""
    if not hits:
        return candidates
    old = [(c.a, c.b, ch, s) for c in candidates for ch, s in _scores(c)]
    return merge_hits(old + hits)


def _scores(c: Candidate) -> tuple[tuple[str, float], ...]:
    return c.channel_scores or tuple((ch, c.score) for ch in sorted(c.channels))


def merge_hits(hits: list[tuple[str, str, str, float]]) -> list[Candidate]:
    """One Candidate per unordered pair, with all channels and the best score, sorted by pair:
    from ``(a, b, channel, score)`` hits in any order (the result does not depend on it)."""
    by: dict[tuple[str, str], dict[str, float]] = {}
    for a, b, ch, s in hits:
        key = (a, b) if a < b else (b, a)
        d = by.setdefault(key, {})
        d[ch] = max(d.get(ch, 0.0), s)
    return [
        Candidate(a, b, frozenset(d), round(max(d.values()), 4), tuple(sorted(d.items())))
        for (a, b), d in sorted(by.items())
    ]
