"""Drift: what each copy changed or invented, as typed, located findings.

``find_pair_drift`` compares one derived article with one source through their sentence
alignment; ``find_story_drift`` does it for every member of a story and adds the
article-level findings (unsourced sentences, missing attribution, self-contradictions).
"""

from __future__ import annotations

from newslineage.drift.article import (
    credits_source,
    find_attribution_missing,
    find_internal_inconsistencies,
    is_caption,
)
from newslineage.drift.facts import Mention, find_dates, find_numbers
from newslineage.drift.pairs import find_pair_drift
from newslineage.drift.story import find_story_drift

__all__ = [
    "Mention",
    "credits_source",
    "find_attribution_missing",
    "find_dates",
    "find_internal_inconsistencies",
    "find_numbers",
    "find_pair_drift",
    "find_story_drift",
    "is_caption",
]
