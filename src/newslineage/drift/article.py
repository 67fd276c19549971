"""Article-level findings: missing attribution, self-contradictions, captions and sentences
that no source supports.

>>> from newslineage.model import Article
>>> a = Article("x", "Pete Hegseth spoke. Later Mike Hegseth said more. Pete Hegseth left.")
>>> [f.message for f in find_internal_inconsistencies(a)]
['The text names one person two ways: "Pete Hegseth" and "Mike Hegseth".']
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache

from ..extract.links import registrable_domain
from ..model import Article, Finding
from ..text.stopwords import STOPWORDS
from .lexicon import FINITE_VERBS, NOT_FIRST, ORG_WORDS
from .tokens import has_tokens, is_sentence_start, tokenize

_FULL_NAME = re.compile(
    r"\b(?P<first>[A-Z][a-z]+(?:-[A-Z][a-z]+)?) (?P<last>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b(?!\s[A-Z])"
)
_KIN = re.compile(
    r"\b(?:wife|husband|son|daughter|brother|sister|father|mother|family|widow|cousin|"
    r"uncle|aunt|nephew|niece|Jr|Sr|twins?|siblings?|parents?)\b",
    re.IGNORECASE,
)
_IMPOSSIBLE_YEAR = re.compile(
    r"\b(?:in|since|until|of|during|by|from)\s+(?P<year>[1-9]\d{2})(?=[,.;:)]|\s*$)"
)
_FORMER_TITLE = re.compile(
    r"\b(?P<former>(?i:former|ex-))\s+(?:(?:U\.S\.|US|American|British|French|Russian)\s+)?"
    r"(?P<title>President|Prime Minister|Chancellor|Governor|Mayor)\s+"
    r"(?:(?P<first>[A-Z][a-z]+)\s+)?(?P<last>[A-Z][a-z]+)\b"
)


def _finding(article: Article, kind: str, message: str, span: tuple[int, int], severity: str,
             source: Article | None = None, **detail: object) -> Finding:  # fmt: skip
    return Finding(
        kind=kind,
        article=article.id,
        message=message,
        severity=severity,
        source_article=source.id if source else None,
        derived_span=span,
        detail=dict(detail),
    )


# ------------------------------------------------------------------ self-contradictions


def find_internal_inconsistencies(article: Article) -> list[Finding]:
    """Two first names for one surname, an impossible year, "former President X" next to
    "President X"."""
    text = article.text
    return (
        _two_first_names(article, text)
        + _impossible_years(article, text)
        + _former_and_sitting(article, text)
    )


def _two_first_names(article: Article, text: str) -> list[Finding]:
    # the whole-text scans (kin words, lower-case words) are costly and most texts have no
    # candidate pair, so they run only when a name needs them
    firsts: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    lower_words: set[str] | None = None
    for m in _FULL_NAME.finditer(text):
        first, last = m.group("first"), m.group("last")
        if _not_person(first, last):
            continue
        if lower_words is None:
            lower_words = set(re.findall(r"\b[a-z]+\b", text))
        if first.lower() in lower_words:
            continue  # "Before Hegseth": a common word that opens a sentence
        if m.start() > 0 and text[m.start() - 1] in "-'’":
            continue
        firsts[last][first].append(m.span())
    out = []
    for last, variants in firsts.items():
        if len(variants) != 2:
            continue  # three or more first names: a family or a common surname, not a slip
        (a, sa), (b, sb) = sorted(variants.items(), key=lambda kv: (-len(kv[1]), kv[1][0]))
        if len(sa) < 2 and len(sb) < 2:
            continue  # one mention each: two people, as likely as a slip
        if _KIN.search(text):
            return []  # a family story names several people with one surname
        out.append(
            _finding(
                article,
                "internal_inconsistency",
                f'The text names one person two ways: "{a} {last}" and "{b} {last}".',
                sb[0],
                "medium",
                names=[f"{a} {last}", f"{b} {last}"],
            )
        )
    return out


def _not_person(first: str, last: str) -> bool:
    """ "Contact Group", "Safety Board": an organisation, not a first name and a surname."""
    if first.lower() in STOPWORDS:
        return True  # "Before Hegseth spoke": a capitalised function word, not a first name
    return first in NOT_FIRST or last in NOT_FIRST or last.lower() in ORG_WORDS


def _impossible_years(article: Article, text: str) -> list[Finding]:
    if not re.search(r"\b(?:19|20)\d\d\b", text):
        return []  # without real years around, "in 224" may be a count or a room number
    out = []
    for m in _IMPOSSIBLE_YEAR.finditer(text):
        start = m.start()
        out.append(
            _finding(
                article,
                "internal_inconsistency",
                f'The text gives an impossible year: "{m.group()}".',
                (start, m.end()),
                "medium",
                year=int(m.group("year")),
            )
        )
    return out


def _former_and_sitting(article: Article, text: str) -> list[Finding]:
    if not any(t in text for t in _TITLES):
        return []  # every match holds one of the titles (case-sensitive): skip the scan
    out, seen = [], set()
    for m in _FORMER_TITLE.finditer(text):
        title, last = m.group("title"), m.group("last")
        if last in seen:
            continue
        sitting = re.compile(
            rf"(?<!former )(?<!ex-)(?<!then-)(?<!then )\b{title}\s+(?:[A-Z][a-z]+\s+)?{last}\b"
        )
        clash = [s for s in sitting.finditer(text) if not _preceded_by_former(text, s.start())]
        if clash:
            seen.add(last)
            out.append(
                _finding(
                    article,
                    "internal_inconsistency",
                    f'The text calls {last} "{m.group().strip()}" but elsewhere '
                    f'"{clash[0].group()}".',
                    m.span(),
                    "medium",
                )
            )
    return out


_TITLES = ("President", "Prime Minister", "Chancellor", "Governor", "Mayor")


def _preceded_by_former(text: str, pos: int) -> bool:
    before = text[max(0, pos - 25) : pos].lower()
    return bool(re.search(r"\b(?:former|ex-|then-?)\s*(?:u\.s\.|us|american|british)?\s*$", before))


# ------------------------------------------------------------------ attribution


def credits_source(derived: Article, source: Article | None) -> bool:
    """True when ``derived`` credits or links where it came from (any credit line, a "via"
    or "Source link", or a link to the source's URL or outlet)."""
    if derived.via or any(not c.lower().startswith("translation") for c in derived.credits):
        return True
    if source is None:
        return False
    if source.url and source.url in derived.links:
        return True
    domain = source.outlet or (registrable_domain(source.url) if source.url else None)
    return bool(domain and any(domain in link for link in derived.links))


def same_publisher(derived: Article, source: Article) -> bool:
    """The derived article reuses its own outlet's copy (a write-through)."""
    return bool(derived.outlet and derived.outlet == source.outlet)


def find_attribution_missing(
    derived: Article, source: Article, coverage: float | None = None
) -> list[Finding]:
    """``derived`` reuses ``source`` without a credit, a source link or a link to it."""
    if credits_source(derived, source) or same_publisher(derived, source):
        return []
    first = _first_sentence(derived)
    if first is None:
        return []
    who = (
        source.outlet
        or (f"a story credited to {source.credits[0]}" if source.credits else None)
        or (f'"{source.title}"' if source.title else "its source")
    )
    share = f" ({round(coverage * 100)}% of its text)" if coverage else ""
    return [
        _finding(
            derived,
            "attribution_missing",
            f"The article reuses {who}{share} without crediting or linking it.",
            first,
            "medium",
            source,
            coverage=coverage,
        )
    ]


def _first_sentence(article: Article) -> tuple[int, int] | None:
    if article.sentences:
        return article.sentences[0]
    text = article.text.strip()
    if not text:
        return None
    end = article.text.find("\n")
    return (0, end if end > 0 else len(article.text))


# ------------------------------------------------------------------ captions and unsourced

_BOILER = re.compile(
    r"originally appeared|read the full|source link|advertisement|contributed to this report|"
    r"reported from|translation by|all rights reserved|subscribe|sign up|follow us|"
    r"click here|the story continues|the article continues|related:|photo:|image:|copyright|"
    r"donate|newsletter|social media|share it with|leave a comment|community guidelines|"
    r"homepage|new articles are added|brought to you by|disclaimer|partner feed|our newsroom|"
    r"independent reporting costs|every contribution",
    re.IGNORECASE,
)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans (blank-line or line-break separated)."""
    out, pos = [], 0
    for piece in re.split(r"(\n+)", text):
        if piece and not piece.startswith("\n") and piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append((pos + lead, pos + len(piece.rstrip())))
        pos += len(piece)
    return out


def is_caption(text: str) -> bool:
    """A photo caption set as body text: one or two short descriptive sentences in the present
    tense, without a quote, a reporting verb or a past tense ("Firefighters spray water on a
    burning warehouse as smoke rises over the quay.")."""
    # the string tests first: most paragraphs fail them, and tokenising is the costly part
    if len(text) > 600 or any(q in text for q in '"“”'):
        return False
    if text.count(". ") > 1 or not text.rstrip().endswith(".") or _CONNECTIVE.match(text):
        return False
    toks = tokenize(text)
    if not 6 <= len(toks) <= 50:
        return False
    if _is_heading(text) or _DATELINE.search(text) or any(t.norm in FINITE_VERBS for t in toks):
        return False
    if any(_past_tense(prev, t) for prev, t in itertools.pairwise(toks)):
        return False
    return bool(_CAPTION_CUE.search(text))


#: what a caption does that a news sentence rarely does: an appositive or participle after a
#: comma (", a reminder", ", showcasing"), or "as smoke rises"
_CAPTION_CUE = re.compile(
    r",\s+(?:an?\s+[a-z]+|[a-z]{3,}ing\b|many\b)|\bas\s+[a-z]+(?:\s+[a-z]+)?\s+[a-z]+s\b"
    r"|\bThe (?:image|photo|picture)\b"
)
#: "In the meantime, …" carries a narrative on; a caption shows a scene
_CONNECTIVE = re.compile(
    r"(?:at the same time|in the meantime|meanwhile|however|nonetheless|nevertheless|even so"
    r"|previously|in the past|ever since|since then|simultaneously|moreover|still"
    r"|earlier this (?:year|month|week)|(?:over|for|during|in) (?:the |a )?"
    r"(?:past|last|recent|long|coming)\b[^,]{0,25}),",
    re.IGNORECASE,
)
_DATELINE = re.compile(r"^[A-ZÀ-Þ .'-]{3,}(?:\s*\([^)]*\))?\s*[—–-]")
_ADJ_BEFORE = frozenset({"a", "an", "the", "and", "their", "his", "her", "its", "of", "with", "by"})


def _past_tense(prev, tok) -> bool:
    """A past-tense verb ("destroyed"), not an adjective ("a burning", "the united steps")."""
    word = tok.norm
    return (
        word.endswith("ed") and len(word) > 4 and "-" not in word and prev.norm not in _ADJ_BEFORE
    )


def _is_heading(text: str) -> bool:
    words = [w for w in text.split() if w[:1].isalpha()]
    caps = sum(w[:1].isupper() for w in words)
    return bool(words) and caps / len(words) > 0.6 and not text.rstrip().endswith(".")


@lru_cache(maxsize=1 << 14)
def is_boilerplate(text: str) -> bool:
    """Credit lines, read-more links and scraper debris that survived cleaning.

    Cached: the story step asks it of one sentence up to three times."""
    return _boiler_cue(text) or not has_tokens(text, 5)


#: the only characters that ``re.IGNORECASE`` matches to an ASCII letter or that ``str.lower``
#: turns into one (or into two characters): without them, a lower-cased text searched
#: case-sensitively finds what the case-insensitive search finds, five times faster
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")
_BOILER_LOWER = re.compile(_BOILER.pattern)


def _boiler_cue(text: str) -> bool:
    if any(c in text for c in _FOLDS_TO_ASCII):
        return _BOILER.search(text) is not None
    return _BOILER_LOWER.search(text.lower()) is not None


def find_captions(article: Article, support: Sequence[float]) -> list[Finding]:
    """Unsupported caption paragraphs, as low-severity ``unsourced_sentence`` findings."""
    out = []
    sents = article.sentences
    for start, end in caption_spans(article):
        inside = [i for i, (s, e) in enumerate(sents) if start <= s and e <= end]
        if inside and max(support[i] for i in inside) >= CAPTION_SUPPORT:
            continue
        out.append(
            _finding(
                article,
                "unsourced_sentence",
                "An image caption appears as body text and no source supports it.",
                (start, end),
                "low",
                caption=True,
            )
        )
    return out


#: a caption that matches a source sentence this well is the source's own text
CAPTION_SUPPORT = 0.45


def caption_spans(article: Article) -> list[tuple[int, int]]:
    """Paragraphs of the article that are image captions set as body text."""
    return list(_caption_spans(article.text))


@lru_cache(maxsize=256)
def _caption_spans(text: str) -> tuple[tuple[int, int], ...]:
    # cached: a story's checks ask for one article's captions several times
    return tuple((s, e) for s, e in paragraphs(text) if is_caption(text[s:e]))


def unsupported_sentences(
    article: Article, support: Sequence[float], covered: Sequence[bool], threshold: float
) -> list[int]:
    """Indexes of sentences with no support, not boilerplate, not headings, not captions."""
    captions = caption_spans(article)
    out = []
    for i, (s, e) in enumerate(article.sentences):
        text = article.text[s:e]
        if covered[i] or support[i] >= threshold or is_boilerplate(text) or _is_heading(text):
            continue
        if any(cs <= s and e <= ce for cs, ce in captions):
            continue
        if is_sentence_start(article.text, s) and has_tokens(text, 6):
            out.append(i)
    return out
