"""Remove what is not the article, and record every removal with its reason and offset.

Works on paragraph units (non-empty lines) of the extracted text, so it serves HTML and plain
text alike. Donation and subscription blocks are found by cue phrases and then grown to the
whole block: the run of adjacent paragraphs that read like the appeal (or, for HTML, the
element whose class/id names page furniture). Nothing is hard-coded to one publisher.

>>> cleaned = clean_text("He spoke.\\nThe story continues under this ad\\nShe left.” Ta.")
>>> cleaned.text
'He spoke.\\nShe left.”'
>>> [(r.reason, r.text) for r in cleaned.removed]
[('ad_debris', 'The story continues under this ad'), ('scraper_debris', 'Ta.')]
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field

from newslineage.model import Removal
from newslineage.text.normalize import keyword_form

__all__ = ["Cleaned", "clean_text", "match_form"]

_I = re.IGNORECASE

_AD_DEBRIS = re.compile(
    r"^(?:(?:the )?(?:story|article|text|report) continues (?:below|under|after)"
    r"(?: (?:this|the))? (?:ad|advert|advertisement)"
    r"|(?:advertisement|advertising|anzeige|werbung|publicidad|reklam|reklama|sponsored(?: content)?"
    r"|skip (?:advertisement|ad)|ad|scroll to continue(?: with content)?)"
    r"|(?:article|story) continues below"
    r"|continue reading (?:the main story|below))[.:]?$",
    _I,
)
_TRAILER = re.compile(
    r"^(?:source(?: link)?|read more|read the (?:full|original) (?:story|article)(?: here| at .{1,80})?"
    r"|read more (?:at|on) .{1,80}|continue reading(?: .{1,60})?|originally published (?:at|on|by) .{1,100}"
    r"|the post .{1,200} appeared first on .{1,80}"
    r"|(?:source|via|quelle|fuente|kaynak|źródło)\s*:?\s*https?://\S+)\s*[.:…»›→>]*$",
    _I,
)
# "READ MORE: Allies split over Ukraine": a link to another story, set inside the body
_RELATED = re.compile(
    r"^(?:read more|related|see also|watch|more on this|also read|lesen sie auch|mehr zum thema"
    r"|te puede interesar|lea también|ayrıca bakınız|czytaj (?:też|także))\s*:\s*\S.{0,150}$",
    _I,
)
_PROMPT = re.compile(
    r"^(?:share(?: this(?: article| story| post)?)?|share on \w+|tweet|email|print|copy link"
    r"|(?:sign|log) ?in(?: to (?:comment|continue|read|reply).*)?|register(?: now)?"
    r"|sign up(?: for| to)? .{0,60}newsletters?.*|(?:get|receive) (?:our|the) .{0,40}newsletters?.*"
    r"|subscribe(?: now| today| here| to (?:our|the) .{0,40})?|follow us on .{1,60}"
    r"|click here to .{1,80}|newsletter|leave a (?:comment|reply)|comments?)[.!:]?$",
    _I,
)
# the four line patterns as one regex (one call per line instead of four; a named group
# says which matched, and the alternation keeps their order of precedence)
_LINE_KINDS = re.compile(
    "|".join(
        f"(?P<{reason}>{pattern.pattern})"
        for reason, pattern in (
            ("ad_debris", _AD_DEBRIS),
            ("source_trailer", _TRAILER),
            ("related_link", _RELATED),
            ("prompt", _PROMPT),
        )
    ),
    _I,
)
# Strong cues: a paragraph holding one is an appeal for money, login or subscription.
# Each cue is (keywords, pattern): every match of the pattern contains one of the keywords
# (lower case), so a text holding none of them skips the regex. Python's re tries an
# alternation at every character (~60 ns each): on a 600-word article the scans of these
# cue patterns cost more than the rest of extraction, and a plain `in` test costs ~1 µs.
_STRONG_CUES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("free",), r"ad[- ]free\b"),
    (("already ",), r"(?:have you )?already (?:contributed|subscribed|a (?:subscriber|member|supporter))\b"),
    (("hide",), r"log ?in to hide\b"),
    (("hide",), r"hide these messages\b"),
    (("a contribution", "a donation"), r"mak(?:e|ing) a (?:contribution|donation)\b"),
    (("donate ", "contribute ", "give "), r"(?:donate|contribute|give) (?:now|today|monthly)\b"),
    (("become a ",), r"become a (?:member|subscriber|supporter|patron)\b"),
    (("subscribe ",), r"subscribe (?:now|today)\b"),
    (("newsletter",), r"(?:sign up|subscribe) (?:for|to) (?:our|the) (?:free )?(?:daily |weekly )?newsletters?\b"),
    (("could use your ",), r"we could use your (?:help|support)\b"),
    (("qualifying ",), r"qualifying contributors\b"),
    (("readers like you",), r"readers like you\b"),
    (("journalism", "reporting", "newsroom"), r"(?:support|fund) (?:our|independent|quality) (?:journalism|reporting|newsroom)\b"),
    (("free press",), r"protect the free press\b"),
    (("without you",), r"can't do (?:it|this) without you\b"),
    (("unlimited ",), r"unlimited (?:digital )?access\b"),
    (("subscriber",), r"subscribers? only\b"),
    (("subscribers", "members"), r"(?:is|are) (?:for|reserved for) (?:subscribers|members)\b"),
)  # fmt: skip
_STRONG = re.compile("|".join(r"\b" + pattern for _, pattern in _STRONG_CUES), _I)
# A short paragraph that is only a call to action: "Support HuffPost", "Donate now".
_CALL_TO_ACTION = re.compile(
    r"^(?:(?:Support|Donate to|Subscribe to) [A-Z][\w.&'-]*(?: [A-Z][\w.&'-]*)?|"
    r"(?:Donate|Subscribe|Contribute)(?: [Nn]ow| [Tt]oday)?)[.!]?$"
)
_CALL_TO_ACTION_FIRST = frozenset("SDC")  # what every _CALL_TO_ACTION match starts with
# Weak cues: only removed next to a strong one, as part of the same block (keywords as above).
_WEAK_CUES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("journalism",), r"journalism\b"),
    (("newsroom",), r"newsroom\b"),
    (("free press",), r"free press\b"),
    (("join us",), r"join us\b"),
    (("your ",), r"your (?:help|support|contribution|donation)\b"),
    (("without you",), r"without you\b"),
    (("won't back down",), r"won't back down\b"),
    (("supported ",), r"supported \w+ before\b"),
    (("contributor",), r"contributors?\b"),
    (("donat",), r"donat\w*"),
    (("subscri",), r"subscri\w*"),
    (("membership",), r"membership\b"),
    (("paywall",), r"paywall\b"),
    (("reader-funded", "reader funded"), r"reader[- ]funded\b"),
    (("ad-supported",), r"ad-supported\b"),
)  # fmt: skip
_WEAK = re.compile("|".join(r"\b" + pattern for _, pattern in _WEAK_CUES), _I)
# the same ad markers when a scraper ran them into the paragraph
_INLINE_AD = re.compile(
    r"\s*\b(?:the )?(?:story|article|text) continues (?:below|under|after)(?: (?:this|the))? "
    r"(?:ad|advert|advertisement)\b[.:]?\s*",
    _I,
)
# page widgets a scraper ran into the start of a paragraph: a share bar ("Share this with
# Email Facebook Twitter ... Copy this link", often with no spaces left between the
# buttons) and a video player's notice ("Media playback is not supported on this device")
_SHARE_BUTTON = (
    r"(?:e-?mail|facebook|messenger|twitter|x|pinterest|whatsapp|linkedin|reddit|telegram"
    r"|tumblr|flipboard|print|sms|copy(?: this)? link)"
)
_LEAD_WIDGET = re.compile(
    rf"(?:share(?: this)?(?: (?:with|on|via))?\s*(?:{_SHARE_BUTTON}[\s,|·/]*){{3,}}"
    r"|media playback is (?:not supported|unsupported|unavailable) on (?:this|your) device"
    r"[.:]?)\s*",
    _I,
)
# A one- or two-letter "sentence" left at a paragraph's end: machine-translated Japanese "た"
# becomes "Ta.", other scrapers leave similar crumbs. Real words that may end a paragraph
# as a one-word sentence are kept.
_STRAY_TOKEN = re.compile(r"(?<=[.!?…”\"’'])\s+([A-Z][a-z]?\.)$")
# what a line's last four characters must hold for _STRAY_TOKEN to match (a cheap test first)
_STRAY_TAIL = re.compile(r"\s[A-Z][a-z]?\.$")
_INLINE_AD_KEYWORD = " continues "  # in every _INLINE_AD match
_REAL_SHORT_WORDS = frozenset(
    {"No.", "So.", "Oh.", "Ok.", "Go.", "Hi.", "Me.", "Us.", "We.", "Ja.", "Si.", "Ya."}
)
_MAX_BLOCK_WORDS = 90  # a longer paragraph is reporting, even if it mentions journalism
_MIN_REPEAT_WORDS = 3  # shorter lines ("Photo", "—") repeat legitimately
_FOLD = (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("\u00a0", " "), ("–", "-"), ("—", "-"))
_LINE = re.compile(r"[^\n]+")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def match_form(text: str) -> str:
    """Same-length folding of quotes, dashes and no-break spaces, for cue matching."""
    if text.isascii():
        return text
    # a str.replace per character is ~20x faster than str.translate with a dict
    for char, folded in _FOLD:
        if char in text:
            text = text.replace(char, folded)
    return text


@dataclass(frozen=True, slots=True)
class Cleaned:
    """The cleaned text and what was removed (offsets into the text before cleaning)."""

    text: str
    removed: tuple[Removal, ...]
    # kept (start, end) pieces of the text before cleaning, in order
    kept: tuple[tuple[int, int], ...] = ()

    def is_removed(self, start: int, end: int) -> bool:
        """Whether the pre-clean range ``[start, end)`` lies wholly in removed text."""
        return not any(s < end and start < e for s, e in self.kept)


@dataclass(frozen=True, slots=True)
class _Gate:
    """Which cue keywords the whole text holds (None: unknown, always run the regex)."""

    strong: tuple[str, ...] | None = None
    weak: tuple[str, ...] | None = None
    inline_ad: bool = True

    @classmethod
    def of(cls, form: str) -> _Gate:
        low = keyword_form(form)
        if low is None:
            return cls()
        present = _present(low)
        return cls(
            strong=tuple(k for k in _STRONG_KEYWORDS if k in present),
            weak=tuple(k for k in _WEAK_KEYWORDS if k in present),
            inline_ad=_INLINE_AD_KEYWORD in low,
        )

    def may_match(self, form: str, keywords: tuple[str, ...] | None) -> bool:
        """False only when ``form`` holds none of the keywords (so the regex cannot match)."""
        if keywords is None:
            return True
        if not keywords:
            return False
        low = form.lower()  # safe: the whole text passed keyword_form
        return any(k in low for k in keywords)


_OPEN_GATE = _Gate()


def _keywords(cues: tuple[tuple[tuple[str, ...], str], ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(k for keys, _ in cues for k in keys))


_STRONG_KEYWORDS = _keywords(_STRONG_CUES)
_WEAK_KEYWORDS = _keywords(_WEAK_CUES)
# Each `in` test scans the whole article (~2.5 µs), so keywords sharing a stem are tested
# only when the stem occurs: a text without "subscri" holds no "subscriber" either.
_STEMS = ("free", "subscri", "donat", "contribut", "member", "your", "reader", "support")


def _stem_groups() -> tuple[tuple[str, tuple[str, ...]], ...]:
    groups: dict[str, list[str]] = {}
    for keyword in dict.fromkeys(_STRONG_KEYWORDS + _WEAK_KEYWORDS):
        stem = next((s for s in _STEMS if s in keyword), keyword)
        groups.setdefault(stem, []).append(keyword)
    return tuple((stem, tuple(words)) for stem, words in groups.items())


_STEM_GROUPS = _stem_groups()


def _present(low: str) -> set[str]:
    """The cue keywords ``low`` holds."""
    found: set[str] = set()
    for stem, keywords in _STEM_GROUPS:
        if stem in low:
            found.update(k for k in keywords if k == stem or k in low)
    return found


@dataclass(slots=True)
class _Unit:
    start: int
    end: int
    reason: str | None = None
    # pieces cut out of a kept line: (cut start, cut end, removal start, removal end, reason);
    # the cut includes the whitespace that would otherwise double up
    cuts: list[tuple[int, int, int, int, str]] = field(default_factory=list)


def clean_text(
    text: str, *, hints: Sequence[tuple[int, int]] = (), title: str | None = None
) -> Cleaned:
    """Remove ads debris, donation blocks, trailers, prompts, repeats and stray tokens.

    ``hints`` are ranges of text from HTML elements named like page furniture; ``title`` is
    the headline, so a body line repeating it is removed as ``repeated_title``.
    """
    units = _units(text)
    folded = match_form(text)  # same length, so a unit's form is a slice of it
    forms = [folded[u.start : u.end] for u in units]
    gate = _Gate.of(folded)
    for unit, form in zip(units, forms, strict=True):
        unit.reason = _line_reason(form)
    _mark_donation_runs(units, forms, gate)
    _mark_hinted_blocks(units, forms, hints, gate)
    _mark_repeats(units, forms, title)
    _mark_inline_debris(text, units, forms, gate)
    return _rebuild(text, units)


def _units(text: str) -> list[_Unit]:
    units = []
    for m in _LINE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            units.append(_Unit(start, end))
    return units


def _line_reason(form: str) -> str | None:
    m = _LINE_KINDS.match(form)
    if m is None or (m.lastgroup == "prompt" and len(form.split()) > 14):
        return None
    return m.lastgroup


def _cue_level(form: str, gate: _Gate = _OPEN_GATE) -> int:
    """2: an appeal by itself; 1: reads like one next to an appeal; 0: ordinary text."""
    if (gate.may_match(form, gate.strong) and _STRONG.search(form)) or (
        form[:1] in _CALL_TO_ACTION_FIRST and _CALL_TO_ACTION.match(form)
    ):
        return 2
    if (
        gate.may_match(form, gate.weak)
        and len(form.split()) <= _MAX_BLOCK_WORDS
        and _WEAK.search(form)
    ):
        return 1
    return 0


def _mark_donation_runs(units: list[_Unit], forms: list[str], gate: _Gate) -> None:
    """Remove each run of adjacent appeal-like paragraphs that holds at least one strong cue."""
    levels = [
        _cue_level(f, gate) if u.reason is None else 0 for u, f in zip(units, forms, strict=True)
    ]
    i = 0
    while i < len(units):
        if levels[i] == 0:
            i += 1
            continue
        j = i
        while j < len(units) and levels[j] > 0:
            j += 1
        if max(levels[i:j]) == 2:
            for unit in units[i:j]:
                unit.reason = "donation_block"
        i = j


def _mark_hinted_blocks(
    units: list[_Unit], forms: list[str], hints: Sequence[tuple[int, int]], gate: _Gate
) -> None:
    """An HTML furniture element that holds an appeal goes as a whole."""
    starts = [u.start for u in units]
    for start, end in hints:
        first = bisect_left(starts, start)
        inside = []
        for k in range(first, len(units)):
            if units[k].start >= end:
                break
            if units[k].end <= end:
                inside.append(k)
        if inside and any(
            units[k].reason == "donation_block" or _cue_level(forms[k], gate) == 2 for k in inside
        ):
            for k in inside:
                if units[k].reason is None:
                    units[k].reason = "donation_block"


def _mark_repeats(units: list[_Unit], forms: list[str], title: str | None) -> None:
    """Keep the first of blocks repeated within the page; a repeat of the title goes too."""
    seen: set[str] = set()
    title_key = _repeat_key(match_form(title)) if title else None
    for unit, form in zip(units, forms, strict=True):
        if unit.reason is not None:
            continue
        key = _repeat_key(form)
        if key == title_key:
            unit.reason = "repeated_title"
        elif key.count(" ") + 1 >= _MIN_REPEAT_WORDS:  # key: words joined by single spaces
            if key in seen:
                unit.reason = "repeated_block"
            seen.add(key)


def _repeat_key(form: str) -> str:
    return " ".join(form.lower().split())


def _mark_inline_debris(text: str, units: list[_Unit], forms: list[str], gate: _Gate) -> None:
    """Ad markers run into a paragraph, and stray tokens at its end, are cut out of it."""
    for unit, line in zip(units, forms, strict=True):
        if unit.reason is not None:
            continue
        matches = _INLINE_AD.finditer(line) if gate.inline_ad else ()
        for m in matches:
            start, end = unit.start + m.start(), unit.start + m.end()
            phrase_start = start + len(m.group()) - len(m.group().lstrip())
            phrase_end = start + len(m.group().rstrip())
            cut_start = start if end == unit.end else phrase_start
            unit.cuts.append((cut_start, end, phrase_start, phrase_end, "ad_debris"))
        widget = _LEAD_WIDGET.match(line) if line[:1] in "SsMm" else None
        if widget and widget.end() >= len(line):  # the widget alone on its line
            unit.reason = "widget_debris"
            continue
        if widget:
            end = unit.start + widget.end()
            unit.cuts.append((unit.start, end, unit.start, end, "widget_debris"))
        tail = _STRAY_TAIL.search(text, max(unit.start, unit.end - 4), unit.end)
        m = _STRAY_TOKEN.search(text, unit.start, unit.end) if tail else None
        if m and m.group(1) not in _REAL_SHORT_WORDS:
            unit.cuts.append((m.start(), unit.end, m.start(1), unit.end, "scraper_debris"))
        unit.cuts.sort()


def _rebuild(text: str, units: list[_Unit]) -> Cleaned:
    parts: list[str] = []
    kept: list[tuple[int, int]] = []
    removed: list[Removal] = []
    last_end: int | None = None
    for unit in units:
        if unit.reason is not None:
            removed.append(Removal(text[unit.start : unit.end], unit.reason, unit.start))
            continue
        pieces = _pieces(unit, text, removed)
        if not pieces:
            continue
        if last_end is not None:
            # a blank line anywhere in the gap (even around removed lines) keeps a paragraph break
            parts.append("\n\n" if _BLANK_LINE.search(text, last_end, unit.start) else "\n")
        for start, end in pieces:
            parts.append(text[start:end])
            kept.append((start, end))
        last_end = unit.end
    return Cleaned("".join(parts), tuple(removed), tuple(kept))


def _pieces(unit: _Unit, text: str, removed: list[Removal]) -> list[tuple[int, int]]:
    """The kept ranges of a line once its cuts are taken out (recording each removal)."""
    pieces = []
    position = unit.start
    for cut_start, cut_end, r_start, r_end, reason in unit.cuts:
        if cut_start < position:
            continue  # overlaps a previous cut
        removed.append(Removal(text[r_start:r_end], reason, r_start))
        if cut_start > position:
            pieces.append((position, cut_start))
        position = cut_end
    if position < unit.end:
        pieces.append((position, unit.end))
    return pieces
