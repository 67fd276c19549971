"""Sentence spans with character offsets, for the languages newslineage meets in news.

The splitter is rule based (in the spirit of Kiss & Strunk's Punkt, "Unsupervised Multilingual
Sentence Boundary Detection", Computational Linguistics 32(4), 2006, but with hand-written
abbreviation lists instead of trained ones): a sentence ends at ``. ! ?`` or ``…`` plus any
closing quotes/brackets, when whitespace (or the end) follows, unless the period belongs to an
abbreviation, an initial, a dotted abbreviation such as "U.S." or the next word starts in lower
case. The full stops of other scripts end a sentence whatever follows (Urdu ``۔``, Arabic ``؟``,
Devanagari ``। ॥``, CJK ``。！？``, Armenian ``։``, Ethiopic ``። ፧``, Khmer ``។``, Myanmar ``။``),
except between two digits (Urdu writes "۲۔۵" for 2.5); the Arabic semicolon ``؛`` and comma
``،`` do not. Thai has no full stop: a space between two Thai letters ends a sentence. Line
breaks always end a sentence: paragraphs never share one.

>>> text = "Gen. Smith met U.S. officials. He said “no.” Then he left."
>>> [text[s:e] for s, e in split_sentences(text)]
['Gen. Smith met U.S. officials.', 'He said “no.”', 'Then he left.']
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["Offsets", "naive_sentences", "split_sentences"]

# Sentence offsets travel as plain half-open (start, end) tuples, not model.Span: they are
# made ~40 times per article and read in alignment's inner loops, and a Span (a validated
# frozen dataclass that also carries the article id) took 1.6 µs to make against 0.08 µs
# for a tuple (timeit). Article.sentences stores them so; alignment turns the few offsets it
# reports into Spans once, at its output (Alignment pairs and passages).
Offsets = tuple[int, int]


def _words(text: str) -> frozenset[str]:
    """A word list written as one string (easier to read and extend)."""
    return frozenset(text.split())


# Terminators that need whitespace (or the end of text) after them ...
_SPACED_TERMINATORS = ".!?…"
# ... and those that end a sentence even when the next one follows without a space.
_HARD_TERMINATORS = "。！？｡۔؟।॥։።፧။។"
# “ and ‘ close quotations in German („so“); right after a terminator they always close
_CLOSERS = "\"'”’“‘»«)]}›‹」』】〕〉》）］｝〞"
_OPENERS = "\"'“‘„«‹([{¿¡「『（［｛〝"
# Thai letters and marks (not its digits): Thai separates sentences by a space, words by nothing
_THAI = "\u0e01-\u0e4f"
_THAI_BREAK = re.compile(f"(?<=[{_THAI}])[^\\S\n]+(?=[{_THAI}])")
_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines splits on

_CANDIDATE = re.compile(
    rf"(?P<term>[{re.escape(_SPACED_TERMINATORS + _HARD_TERMINATORS)}]+)"
    rf"(?P<close>[{re.escape(_CLOSERS)}]*)"
    # the next word, read in the same scan (a lookahead: the matches themselves stay the
    # same): skip spaces (not line breaks) and opening quotes, then letters, digits
    # ([^\W_] is str.isalnum), apostrophes and hyphens
    rf"(?=(?P<skip>(?:[{re.escape(_OPENERS)}]|(?![{_LINE_BREAKS}])\s)*)"
    r"(?P<word>(?:[^\W_]|['’-])+)?)"
)
_LINE_BREAK = re.compile(f"[{_LINE_BREAKS}]+")
_HARD_SET = frozenset(_HARD_TERMINATORS)
# "U.S", "z.B", "e.g", "EE.UU", "m.in", "Ph.D": letters and inner dots, short segments
_DOTTED = re.compile(r"^(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,3}$")
_INITIAL = re.compile(r"^[^\W\d_]$")

# Titles and name-like abbreviations: a name follows, so the period never ends a sentence.
_TITLES = _words(
    """
    Mr Mrs Ms Messrs Dr Drs Prof Gen Gens Lt Col Capt Sgt Maj Adm Gov Sen Sens Rep Reps
    Rev Hon Pres Supt Cmdr Cmdt Brig Mt Ft St Ste Jr Sr Sgt Cpl Pvt Amb Atty Insp Det Fr
    Hr Hrn Frau Sra Srta Sres Dra Lic Ing Gral Arq Excmo Excma Doç Yrd Av Alb Org Korg
    Tuğg Tümg Koç Sn Bşk prof dr mgr inż gen płk ppłk mjr ks hab red kpt ppor por
    """
)
# Abbreviations that do not end a sentence unless a typical sentence opener follows.
_ABBREVIATIONS = _words(
    """
    vs approx est dept univ Inc Corp Ltd Co Bros cf ca bzw ggf inkl evtl sog vgl ehem
    Mio Mrd Tsd usw zzgl abzgl Str aprox Avda Pza Ud Uds Vd Vds vb bkz Cad Sok Mah tzw
    tj np ul al ok wg ang tys mln mld
    """
)
# Abbreviations that only precede a number: "No. 5", "Feb. 12", "Nr. 3", "S. 14".
_BEFORE_NUMBER = _words(
    """
    No Nos Nr Art Abs Bd Hft S p pp vol Vol ch fig Fig núm Núm nº art pkt Jan Feb Mar
    Apr Jun Jul Aug Sep Sept Oct Nov Dec Okt Dez Ene Abr Ago Dic Oca Şub Nis Haz Tem Ağu
    Eyl Eki Kas Ara sty lut kwi maj cze lip sie wrz paź lis gru
    """
)
# Words that typically open a sentence: after "U.S." or an initial they signal a boundary.
_OPENER_WORDS = _words(
    """
    The He She It They We I This That These Those But In On At As A An His Her Its Their
    Our There Then However Meanwhile Der Die Das Er Sie Es Wir Ich Aber Doch El La Los
    Las Ella Ellos Pero Bu Şu O Ama Ancak On Ona Ale Jednak To Ten Ta
    """
)
# German ordinals: "am 13. Februar" (the month follows a day number with a period).
_MONTHS_AFTER_ORDINAL = _words(
    """
    Januar Jänner Februar März April Mai Juni Juli August September Oktober November
    Dezember
    """
)


def split_sentences(text: str, language: str | None = None) -> list[Offsets]:
    """Split ``text`` into sentences: half-open ``(start, end)`` offsets, whitespace trimmed.

    The abbreviation lists of all supported languages (en, de, es, tr, pl, ar, ur) always
    apply, since news quotes across languages ("U.S." in German text); ``language``
    (ISO 639-1) only switches rules that would misfire elsewhere, such as German ordinals
    ("am 13. Februar"), which ``None`` also allows.

    >>> split_sentences("Dr. No left. Next.\\nLine")
    [(0, 12), (13, 18), (19, 23)]
    """
    spans: list[Offsets] = []
    start = 0
    for cut in _boundaries(text, language):
        _add_trimmed(text, start, cut, spans)
        start = cut
    _add_trimmed(text, start, len(text), spans)
    return spans


def _boundaries(text: str, language: str | None) -> list[int]:
    """Offsets where one sentence ends and the next may begin, ascending."""
    cuts = set(_line_break_starts(text))
    if not text.isascii():
        cuts.update(m.start() for m in _THAI_BREAK.finditer(text))
    n = len(text)
    # the last " " and "\n" in text[:seen]: each period's word start is read off them,
    # scanning only the text since the previous period (rfind from 0 at every period was
    # quadratic on text without newlines); kept inline, not in a helper, for speed
    seen, space, newline = 0, -1, -1
    # one loop, no helper calls for the common cases: it runs ~40 times per article and
    # call overhead was a third of sentence splitting (profiled)
    for m in _CANDIDATE.finditer(text):
        term, end = m.group("term"), m.end()
        if term != "." and not _HARD_SET.isdisjoint(term):
            if not _inside_number(text, m.start(), m.end("term")):
                cuts.add(end)  # 。 ۔ ؟ end a sentence whatever follows
            continue
        if end < n and not text[end].isspace():
            continue  # "3.5", "U.S.-led", "example.com", ".”Next"
        following = m.group("word") or _next_char(text, m.end("skip"))
        if following[:1].islower():
            continue  # "etc. and", "Hey!” he said", "z.B. die"
        if term != ".":
            cuts.add(end)
            continue
        pos = m.start()
        if pos > seen:
            j = text.rfind(" ", seen, pos)
            space = j if j >= 0 else space
            j = text.rfind("\n", seen, pos)
            newline = j if j >= 0 else newline
            seen = pos
        word = _token_before(text, pos, (space if space > newline else newline) + 1)
        if not _is_abbreviation(word, following, language):
            cuts.add(end)
    return sorted(cuts)


def _inside_number(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` sits between two digits: "۲۔۵", "３。５" are numbers."""
    return start > 0 and end < len(text) and text[start - 1].isdigit() and text[end].isdigit()


def _next_char(text: str, i: int) -> str:
    """What follows a terminator when no word does: "" at a line break (it cuts anyway)."""
    return "" if i < len(text) and text[i] in _LINE_BREAKS else text[i : i + 1]


def _line_break_starts(text: str) -> list[int]:
    """Where each run of line breaks starts (``_LINE_BREAK``): with "\n" the only kind
    present, str.find is ~5x faster than the character-class scan."""
    if any(ch in text for ch in _LINE_BREAKS[1:]):
        return [m.start() for m in _LINE_BREAK.finditer(text)]
    starts = []
    i = text.find("\n")
    while i >= 0:
        if i == 0 or text[i - 1] != "\n":
            starts.append(i)
        i = text.find("\n", i + 1)
    return starts


@lru_cache(maxsize=4096)
def _is_abbreviation(token: str, following: str, language: str | None) -> bool:
    """Whether the single period after ``token`` is part of an abbreviation, not an end."""
    if not token:
        return False
    if token in _TITLES or token.lower() in _TITLES:
        return True
    if following[:1].isdigit() and token in _BEFORE_NUMBER:
        return True
    # cheap tests first: _DOTTED needs a period and _INITIAL one character
    if following not in _OPENER_WORDS and (
        token in _ABBREVIATIONS
        or (len(token) == 1 and _INITIAL.match(token))
        or ("." in token and _DOTTED.match(token))
    ):
        return True
    return (
        language in (None, "de")
        and token.isdigit()
        and len(token) <= 2
        and following in _MONTHS_AFTER_ORDINAL
    )


def _token_before(text: str, pos: int, start: int) -> str:
    """The word that ends right before ``pos`` (it starts at ``start``, after the last space
    or newline), without leading quotes or brackets."""
    token = text[start:pos]
    # an ASCII printable token holds no other white space; otherwise walk back char by char
    # (linear overall: a candidate that gets here has white space after it, which stops the
    # next walk)
    if not (token.isascii() and token.isprintable()):
        i = pos
        while i > 0 and not text[i - 1].isspace():
            i -= 1
        token = text[i:pos]
    return token.lstrip(_OPENERS + "—–-/")


def _add_trimmed(text: str, start: int, end: int, spans: list[Offsets]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def _caseless_letters() -> str:
    """Class ranges of the letters without case (category Lo) from Greek on: after ". " an
    Urdu, Hindi or Chinese word starts a sentence as a capital does (Latin-1's ª º stay out)."""
    out: list[str] = []
    run: list[int] = []
    for cp in range(0x0370, 0x20000):
        if unicodedata.category(chr(cp)) == "Lo" and cp not in _NAIVE_HARD_CPS:
            if run and cp == run[1] + 1:
                run[1] = cp
                continue
            if run:
                out.append(f"\\U{run[0]:08x}-\\U{run[1]:08x}")
            run = [cp, cp]
    out.append(f"\\U{run[0]:08x}-\\U{run[1]:08x}")
    return "".join(out)


# The fallback splitter: a sentence ends at . ! ? … (plus closing quotes) before white space
# and a capital, a digit or a caseless letter (Urdu, Hindi, CJK); at the full stops of other
# scripts (plus closing quotes) unless a digit is on both sides; between Thai letters at a space;
# or at a line break.
_NAIVE_HARD_CPS = frozenset(map(ord, _HARD_TERMINATORS))
_NAIVE_SPLIT = re.compile(
    rf"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-ZÀ-ÖØ-Þ0-9{_caseless_letters()}])"
    rf"|(?<=[{_HARD_TERMINATORS}])(?:(?<!\d[{_HARD_TERMINATORS}])|(?!\d))[{re.escape(_CLOSERS)}]*\s*"
    rf"|{_THAI_BREAK.pattern}"
    r"|\n+"
)
_NAIVE_ABBREV = re.compile(
    r"(?:\b[A-Za-z]\.(?:[A-Za-z]\.)*|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Jan|Feb|Mar|Apr|"
    r"Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|vs|etc|Inc|Corp|Jr|Sr)\.)$"
)


def naive_sentences(text: str) -> tuple[Offsets, ...]:
    """Sentence offsets by punctuation + capital and by line breaks: the fallback splitter.

    Alignment uses it when an article carries no sentences (``align.sentences_of``), and
    tests build articles with it; its output differs from ``split_sentences`` (no
    multilingual abbreviation lists, cuts only before a capital or digit), and alignment
    results are pinned to it, so it stays a separate function.

    >>> naive_sentences("One. Two three.\\nFour")
    ((0, 4), (5, 15), (16, 20))
    """
    out: list[Offsets] = []
    pos = 0
    for m in [*_NAIVE_SPLIT.finditer(text), None]:
        if m and m.group()[:1] != "\n" and _NAIVE_ABBREV.search(text, 0, m.start()):
            continue  # "U.S. Defense", "Feb. 12": an abbreviation, not a sentence end
        # closing quotes that the separator swallowed belong to the sentence before it
        end = m.start() + len(m.group()) - len(m.group().lstrip(_CLOSERS)) if m else len(text)
        piece = text[pos:end]
        s, e = pos + len(piece) - len(piece.lstrip()), pos + len(piece.rstrip())
        if e > s:
            out.append((s, e))
        if m:
            pos = m.end()
    return tuple(out)
