"""A synthetic news corpus with known lineage, for benchmarks and quality floors.

``python -m bench.generate --n 10000 --seed 1 --out DIR`` writes ``DIR/corpus.jsonl`` (one
article per line: id, url, outlet, title, text, published, language) and ``DIR/truth.json``
(the ground truth in the format of ``examples/truth.json``; refs are the record ids).

Each story is an invented event (people, places, organisations, numbers, dates). Its
original is written from the event's facts with fact templates and a background grammar;
independent reports are written from the same facts with *other* templates, so they share
facts and quotes but never a sentence. Derived articles are made from an earlier article
of the story:

- ``copy``: verbatim, maybe trimmed, with house-style edits, scraper debris and the
  outlet's boilerplate block;
- ``excerpt``: the first one to three paragraphs;
- ``rewrite``: synonym swaps outside quotes, clause reordering, sentence splits and merges,
  dropped clauses (5-gram Jaccard about 0.1-0.3 with the source, like a machine-translation
  round trip);
- ``partial``: some paragraphs of the source plus freshly written ones (a write-through).

With ``drift=True`` some copies and rewrites get typed edits (``number_changed``,
``date_changed``, ``name_changed``, ``title_changed``, ``quote_altered``,
``negation_flipped``, ``unsourced_sentence``); each is a truth finding whose
``derived_text`` is the edited sentence, an exact substring of the derived text.

>>> records, truth = generate_corpus(40, seed=3)
>>> len(records), len(truth["articles"])
(40, 40)
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import random
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench import wordlists as W

YEAR_START = datetime(2025, 1, 1, tzinfo=UTC).timestamp()
DAY = 86400.0
MIX = {"copy": 0.15, "excerpt": 0.10, "rewrite": 0.15, "partial": 0.05, "unrelated": 0.10}
#: extra roles of a ``hard=True`` corpus (on top of MIX): the derivations the dev sets show
HARD_MIX = {"paraphrase": 0.06, "summary": 0.04, "reuse": 0.05, "translation": 0.05}
#: the truth kind of each hard role (ARCHITECTURE.md's kinds); the role is kept as ``variant``
HARD_KINDS = {
    "paraphrase": "rewrite",
    "summary": "rewrite",
    "reuse": "partial",
    "translation": "translation",
}
DRIFT_KINDS = (
    "number_changed",
    "date_changed",
    "name_changed",
    "title_changed",
    "quote_altered",
    "negation_flipped",
    "unsourced_sentence",
)
SEVERITY = {"title_changed": "medium", "unsourced_sentence": "medium"}


# ---------------------------------------------------------------- outlets


@dataclass(frozen=True, slots=True)
class Outlet:
    """A publisher: wires and papers write, farms copy and spin, aggregators excerpt."""

    name: str
    domain: str
    kind: str  # "wire", "paper", "farm", "aggregator"
    code: str = ""  # dateline credit of a wire, e.g. "MW"
    boilerplate: tuple[str, ...] = ()


def _outlets() -> list[Outlet]:
    wires = [
        Outlet("Meridian Wire", "meridianwire.example", "wire", "MW"),
        Outlet("Continental Press Agency", "cpa-news.example", "wire", "CPA"),
        Outlet("Harbor News Service", "harbornews.example", "wire", "HNS"),
    ]
    towns = "Northgate Riverside Eastbrook Westmarch Kingsholm Lakeview Stonebridge Fairhaven Oakridge Millbrook Redcliff Ashcombe"
    kinds = "Ledger Courier Gazette Tribune Observer Chronicle Herald Sentinel Post Dispatch Examiner Standard"
    papers = [
        Outlet(f"The {t} {k}", f"{t.lower()}-{k.lower()}.example", "paper")
        for t, k in zip(towns.split(), kinds.split(), strict=True)
    ]
    farm_blocks = [
        ("Support our newsroom. Independent reporting costs money, and every contribution keeps our stories free for everyone. Donate today and become a member.",),
        ("Follow us on social media for the latest updates. Sign up for our newsletter to get the top stories in your inbox every morning.",),
        ("Disclaimer: this article was automatically imported from a partner feed and is provided for informational purposes only.",),
        ("Source link",),
        ("Like this story? Share it with your friends and leave a comment below. Our community guidelines apply to all comments.",),
        ("Copyright belongs to the original publisher. If you believe this content infringes your rights, contact our editorial team.",),
        ("Read more stories like this on our homepage. New articles are added every hour, around the clock.",),
        ("This content is brought to you by our trending news desk.", "Source link"),
    ]  # fmt: skip
    farm_names = "dailybuzzhub newsflashnow trendwire24 viralpulse topstoryfeed instanews-daily headlinestream worldnewsnow"
    farms = [
        Outlet(name, f"{name}.example", "farm", "", block)
        for name, block in zip(farm_names.split(), farm_blocks, strict=True)
    ]
    aggregators = [
        Outlet("News Digest", "newsdigest.example", "aggregator"),
        Outlet("Briefly", "briefly.example", "aggregator"),
        Outlet("Morning Scan", "morningscan.example", "aggregator"),
    ]
    return wires + papers + farms + aggregators


OUTLETS = _outlets()
BY_KIND = {k: [o for o in OUTLETS if o.kind == k] for k in ("wire", "paper", "farm", "aggregator")}
DEBRIS = [
    "Advertisement",
    "The story continues below this advertisement.",
    "Ta.",
    "Related: more news from the region",
]

# ---------------------------------------------------------------- vocabulary


def _slot_groups() -> dict[str, list[list[str]]]:
    """Upper-case background slots -> synonym groups."""
    return {
        "NOUN": [[s for s, _ in g] for g in W.NOUN_GROUPS],
        "NOUNS": [[p for _, p in g] for g in W.NOUN_GROUPS],
        "VERB": [[b for b, _ in g] for g in W.VERB_GROUPS],
        "VPAST": [[p for _, p in g] for g in W.VERB_GROUPS],
        "ADJ": W.ADJ_GROUPS,
        "ADV": W.ADV_GROUPS,
        "OPEN": W.OPEN_GROUPS,
        "TIME": W.TIME_GROUPS,
        "NOUN_PEOPLE": W.PEOPLE_GROUPS,
        "NOUN_PEOPLE_CAP": [[w.capitalize() for w in g] for g in W.PEOPLE_GROUPS],
        "NOUN_PERSON": [[w] for w in W.PERSON_NOUNS],
    }


SLOT_GROUPS = _slot_groups()
# flattened choices per slot, so filling a slot is one rng.choice
SLOT_WORDS = {k: [w for g in groups for w in g] for k, groups in SLOT_GROUPS.items()}


def _synonym_table() -> dict[str, list[str]]:
    """word or phrase -> its alternatives (union over all groups it belongs to)."""
    groups: list[list[str]] = [g for gs in SLOT_GROUPS.values() for g in gs]
    groups += W.FUNCTION_GROUPS
    groups += [t["topic"] for t in W.EVENT_TYPES] + [t["place"] for t in W.EVENT_TYPES]
    table: dict[str, set[str]] = {}
    for g in groups:
        for w in g:
            table.setdefault(w, set()).update(x for x in g if x != w)
    # a role word swapped would be an unlabelled title change ("finance minister" -> "pay for minister")
    roles = {w for t in W.EVENT_TYPES for r in t["roles"] for w in r.split()}
    return {w: sorted(a - roles) for w, a in table.items() if w not in roles and a - roles}


def _trie_pattern(words: Iterable[str]) -> str:
    """One regex for many literal words, as a prefix trie: ``re`` tries alternatives one by
    one at every position, so a flat 600-way alternation is several times slower."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict) -> str:
    # longest match first: the end marker ("") sorts last, after every continuation
    alts = [
        re.escape(ch) + _trie_regex(child)
        for ch, child in sorted(node.items(), key=lambda kv: kv[0] == "")
        if ch
    ]
    if "" in node:
        alts.append("")
    if len(alts) == 1:
        return alts[0]
    return "(?:" + "|".join(alts) + ")"


SYNONYMS = _synonym_table()
# Case-sensitive on purpose: capitalised words are names and organisations (never swapped),
# except sentence openers, which are in the table capitalised.
SYN_RE = re.compile(r"\b" + _trie_pattern(SYNONYMS) + r"\b")
LOWERABLE = {w.split()[0].capitalize() for w in SYNONYMS} | set(
    [
        "The",
        "A",
        "An",
        "On",
        "In",
        "At",
        "Some",
        "Many",
        "It",
        "Its",
        "Few",
        "Critics",
        "Officials",
        "Local",
        "Early",
        "According",
        "Losses",
        "Talks",
        "Records",
        "Whether",
        "Near",
        "This",
        "There",
        "Our",
        "We",
        "Nobody",
        "People",
        "Opposition",
        "Authorities",
        "Experts",
        "Several",
        "Sources",
        "Insiders",
    ]
)


@dataclass(frozen=True, slots=True)
class Template:
    """A background template compiled for speed: positional format string + its slots."""

    fmt: str
    slots: tuple[tuple[str, tuple[str, ...] | None, int], ...]  # (fact key, vocabulary, size)


def _compile(template: str) -> Template:
    parts = re.split(r"\{(\w+)\}", template)
    fmt = "".join(
        p.replace("{", "{{").replace("}", "}}") if i % 2 == 0 else "{}" for i, p in enumerate(parts)
    )
    slots = []
    for key in parts[1::2]:
        words = SLOT_WORDS.get(key)
        slots.append((key, tuple(words) if words else None, len(words) if words else 0))
    return Template(fmt, tuple(slots))


BACKGROUND = [_compile(t) for t in W.BACKGROUND]

# ---------------------------------------------------------------- events


def _name(rng: random.Random, a: list[str], b: list[str]) -> str:
    return _choice(rng, a) + _choice(rng, b)


def _number(rng: random.Random, lo: int, hi: int) -> str:
    return f"{rng.randint(lo, hi):,}"


def _date(rng: random.Random, month: int) -> str:
    return f"{W.MONTHS[month % 12]} {rng.randint(1, 28)}"


def make_facts(rng: random.Random, etype: dict | None = None) -> dict:
    """The facts of one invented event: every slot the templates may use."""
    etype = etype or rng.choice(W.EVENT_TYPES)
    month = rng.randrange(12)
    city = _name(rng, W.CITY_A, W.CITY_B)
    country = _name(rng, W.COUNTRY_A, W.COUNTRY_B)
    f: dict = {
        "etype": etype,
        "city": city,
        "city2": _name(rng, W.CITY_A, W.CITY_B),
        "country": country,
        "region": f"{_name(rng, W.CITY_A, W.CITY_B)} {rng.choice(W.REGION_KIND)}",
        "sur": _name(rng, W.SUR_A, W.SUR_B),
        "sur2": _name(rng, W.SUR_A, W.SUR_B),
        "currency": rng.choice(W.CURRENCIES),
        "n_count": _number(rng, 120, 48000),
        "n_money": f"{rng.randint(11, 950) / 10:.1f} million",
        "n_pct": str(rng.randint(6, 87)),
        "n_small": str(rng.randint(3, 9)),
        "past_year": str(rng.randint(1968, 2019)),
        "day": rng.choice(W.WEEKDAYS),
        "date": _date(rng, month + 1),
        "deadline": _date(rng, month + 2),
        "unit": etype["unit"],
        "past": etype["past"],
        "future": etype["future"],
        "cause": etype["cause"],
        "money": etype["money"],
        "pct": etype["pct"],
    }
    orgs = [
        o.format(city=city, country=country, sur=f["sur"], sur2=f["sur2"]) for o in etype["orgs"]
    ]
    f.update(org0=orgs[0], org1=orgs[1], org2=orgs[2])
    people = []
    for i, role in enumerate(etype["roles"]):
        first, last = _name(rng, W.FIRST_A, W.FIRST_B), _name(rng, W.SUR_A, W.SUR_B)
        people.append((f"{first} {last}", last, role, orgs[i % 3]))
        f.update(
            {f"p{i}": f"{first} {last}", f"p{i}l": last, f"p{i}r": role, f"p{i}o": orgs[i % 3]}
        )
    f["people"] = people
    base = dict(f, topic=etype["topic"][0], place=etype["place"][0])
    quotes = rng.sample(W.QUOTES, len(people))
    f["quotes"] = [q.format_map(base) for q in quotes]  # fixed per event: reports quote alike
    return f


# ---------------------------------------------------------------- writing


@dataclass(slots=True)
class Doc:
    """A generated article while its story is being built (paragraphs of sentences)."""

    paras: list[list[str]]
    title: str
    outlet: Outlet
    published: float
    role: str  # original, independent, copy, excerpt, rewrite, partial
    source: int | None = None  # index in the story
    findings: list[dict] = field(default_factory=list)
    ref: str = ""
    language: str = "en"


def _article_slots(rng: random.Random, facts: dict) -> dict:
    et = facts["etype"]
    topic = rng.choice(et["topic"])
    return dict(
        facts, topic=topic, topic_cap=topic[0].upper() + topic[1:], place=rng.choice(et["place"])
    )


def _choice(rng: random.Random, seq: Sequence[str]) -> str:
    # rng.choice costs ~4x more (it draws bits in a Python loop); this is the hot path
    return seq[int(rng.random() * len(seq))]


def _fill(t: Template, facts: dict, rng: random.Random) -> str:
    rand = rng.random
    s = t.fmt.format(
        *[words[int(rand() * n)] if words else facts[key] for key, words, n in t.slots]
    )
    return s[0].upper() + s[1:]


def _pick(rng: random.Random, options: int, used: set[int]) -> int | None:
    """A template variant this story has not used yet (independent reports never share one)."""
    free = [i for i in range(options) if i not in used]
    if not free:
        return None
    i = free[int(rng.random() * len(free))]
    used.add(i)
    return i


def _fact_sentences(
    rng: random.Random, slots: dict, used: dict[str, set[int]], quotes: int
) -> tuple[str, list[str]]:
    """(lead sentence or "", the other fact sentences) in template variants unused so far."""
    lead, out = "", []
    for group, templates in W.FACT_TEMPLATES.items():
        i = _pick(rng, len(templates), used.setdefault(group, set()))
        if i is not None:
            s = templates[i].format_map(slots)
            s = s[0].upper() + s[1:]
            if group == "lead":
                lead = s
            else:
                out.append(s)
    people = rng.sample(range(len(slots["people"])), quotes)
    for k in people:
        i = _pick(rng, len(W.QUOTE_TEMPLATES), used.setdefault(f"quote{k}", set()))
        if i is None:
            continue
        full, last, role, org = slots["people"][k]
        q = dict(slots, q=slots["quotes"][k], p=full, pl=last, pr=role, po=org)
        s = W.QUOTE_TEMPLATES[i].format_map(q)
        out.append(s[0].upper() + s[1:])
    return lead, out


PARAGRAPH_SIZES = (1, 2, 2, 3, 3, 4)  # sentences per paragraph, news style


def _paragraphs(rng: random.Random, sentences: list[str]) -> list[list[str]]:
    paras, i = [], 0
    while i < len(sentences):
        k = PARAGRAPH_SIZES[int(rng.random() * 6)]
        paras.append(sentences[i : i + k])
        i += k
    return paras


def write_report(
    rng: random.Random, facts: dict, used: dict[str, set[int]], outlet: Outlet, words: int
) -> tuple[list[list[str]], str]:
    """An original or independent report of the event: (paragraphs, title)."""
    slots = _article_slots(rng, facts)
    lead, rest = _fact_sentences(rng, slots, used, quotes=rng.randint(2, 4))
    budget = words - sum(s.count(" ") + 1 for s in [lead, *rest])
    background = []
    while budget > 0:
        s = _fill(BACKGROUND[int(rng.random() * len(BACKGROUND))], slots, rng)
        background.append(s)
        budget -= s.count(" ") + 1
    body = rest + background
    rng.shuffle(body)
    if lead:
        body.insert(0, _dateline(rng, slots["city"], outlet) + lead)
    i = _pick(rng, len(W.HEADLINES), used.setdefault("headline", set()))
    title = (W.HEADLINES[i] if i is not None else rng.choice(W.HEADLINES)).format_map(slots)
    return _paragraphs(rng, body), title


def _dateline(rng: random.Random, city: str, outlet: Outlet) -> str:
    if outlet.kind == "wire":
        return f"{city.upper()} ({outlet.code}) — "
    return f"{city.upper()} — " if rng.random() < 0.4 else ""


# ---------------------------------------------------------------- transforms


def make_copy(rng: random.Random, src: Doc, outlet: Outlet) -> list[list[str]]:
    """Verbatim copy: maybe trimmed, house-style edits, debris, boilerplate block."""
    paras = [list(p) for p in src.paras]
    if len(paras) > 4 and rng.random() < 0.4:
        paras = paras[: -rng.randint(1, 2)]
    for old, new in rng.sample(W.STYLE_EDITS, rng.randint(0, 3)):
        paras = [[s.replace(old, new) for s in p] for p in paras]
    if rng.random() < 0.3:
        paras[0][0] = re.sub(r"^[A-Z .'-]+ (\(\w+\) )?— ", "", paras[0][0])
    if rng.random() < 0.3 and len(paras) > 2:
        paras.insert(rng.randint(1, len(paras) - 1), [rng.choice(DEBRIS)])
    if rng.random() < 0.5:
        paras.append([f"This article originally appeared on {src.outlet.name}."])
    paras += [[b] for b in outlet.boilerplate]
    return paras


def make_excerpt(rng: random.Random, src: Doc) -> list[list[str]]:
    """The first one to three paragraphs, sometimes with a read-more line."""
    k = min(rng.randint(1, 3), max(1, len(src.paras) - 1))
    paras = [list(p) for p in src.paras[:k]]
    if rng.random() < 0.5:
        paras.append([f"Read the full story at {src.outlet.name}."])
    return paras


def _swap(rng: random.Random, text: str, p: float) -> str:
    """Swap words for synonyms with probability ``p``, never inside quotes."""

    def repl(m: re.Match[str]) -> str:
        return _choice(rng, SYNONYMS[m.group(0)]) if rng.random() < p else m.group(0)

    parts = text.split('"')
    parts[::2] = [SYN_RE.sub(repl, part) for part in parts[::2]]
    return '"'.join(parts)


def _lower_first(s: str) -> str:
    first = s.split(" ", 1)[0]
    return s[0].lower() + s[1:] if first in LOWERABLE else s


SUBJECTS = {
    "the",
    "a",
    "it",
    "its",
    "officials",
    "authorities",
    "some",
    "many",
    "critics",
    "residents",
}


def _restructure(rng: random.Random, s: str) -> list[str]:
    """Clause-level changes to one sentence (quotes are left alone)."""
    if '"' in s or " — " in s or not s.endswith("."):  # keep quotes and the dateline intact
        return [s]
    clauses = s[:-1].split(", ")
    long_cut = [
        i
        for i in range(1, len(clauses))
        if len(", ".join(clauses[:i]).split()) >= 4 and len(", ".join(clauses[i:]).split()) >= 4
    ]
    r = rng.random()
    if long_cut and r < 0.35:  # reorder: "A, B." -> "B, a."
        i = rng.choice(long_cut)
        a, b = ", ".join(clauses[:i]), ", ".join(clauses[i:])
        return [b[0].upper() + b[1:] + ", " + _lower_first(a) + "."]
    # split at a comma only where the second half can stand as a sentence
    starts = [
        i for i in long_cut if clauses[i][0].isupper() or clauses[i].split(" ", 1)[0] in SUBJECTS
    ]
    if starts and r < 0.55:
        i = rng.choice(starts)
        a, b = ", ".join(clauses[:i]), ", ".join(clauses[i:])
        return [a + ".", b[0].upper() + b[1:] + "."]
    if (
        len(clauses) > 1 and r < 0.7 and len(", ".join(clauses[:-1]).split()) >= 5
    ):  # drop the last clause
        return [", ".join(clauses[:-1]) + "."]
    for conj in (" and ", " while ", " which "):
        if conj in s and r < 0.85:
            a, b = s[:-1].split(conj, 1)
            if len(a.split()) >= 4 and len(b.split()) >= 3:
                return [
                    a.rstrip(",") + ".",
                    "It " + b + "." if conj == " which " else b[0].upper() + b[1:] + ".",
                ]
    return [s]


REWRITE_SWAP = (0.35, 0.7)  # share of swappable words a rewrite changes: 5-gram Jaccard ~0.1-0.3


def make_rewrite(rng: random.Random, src: Doc) -> list[list[str]]:
    """Paraphrase sentence by sentence, like a machine-translation round trip."""
    paras = []
    swap = rng.uniform(*REWRITE_SWAP)
    for p in src.paras:
        out: list[str] = []
        for s in p:
            for t in _restructure(rng, s):
                if out and rng.random() < 0.12 and '"' not in t and out[-1].endswith("."):
                    out[-1] = (
                        out[-1][:-1] + ", and " + _lower_first(t)
                    )  # merge with the previous one
                else:
                    out.append(t)
        paras.append([_swap(rng, s, swap) for s in out])
    return paras


def make_partial(
    rng: random.Random, src: Doc, facts: dict, used: dict[str, set[int]], outlet: Outlet
) -> list[list[str]]:
    """Some paragraphs of the source under freshly written ones (a write-through)."""
    n = len(src.paras)
    keep = max(1, round(n * rng.uniform(0.3, 0.6)))
    start = rng.randint(0, n - keep)
    kept = [list(p) for p in src.paras[start : start + keep]]
    fresh, _ = write_report(rng, facts, used, outlet, rng.randint(150, 350))
    cut = rng.randint(1, len(fresh))
    return fresh[:cut] + kept + fresh[cut:]


# ---------------------------------------------------------------- hard derivations (hard=True)

QUOTE_AFTER_RE = re.compile(r'^"(.+?),"\s+(.+?)\.$')  # "Q," said X.  /  "Q," X told reporters.
QUOTE_BEFORE_RE = re.compile(r'^(.+?):\s+"(.+)"$')  # X, the role at O, said: "Q"
DATELINE_RE = re.compile(r"^[A-Z .'-]+ (\(\w+\) )?— ")
PHRASES = [(re.compile(re.escape(a)), b) for a, b in W.PHRASE_REWRITES]


def _indirect(s: str) -> str:
    """Direct speech as reported speech: AI rewriters paraphrase quotes too."""
    m = QUOTE_AFTER_RE.match(s)
    if m:
        quote, who = m.group(1), m.group(2)
        who = who[5:] + " said" if who.startswith("said ") else who
        return f"{who[0].upper()}{who[1:]} that {_lower_first(quote)}."
    m = QUOTE_BEFORE_RE.match(s)
    if m:
        return f"{m.group(1)} that {_lower_first(m.group(2).rstrip('.'))}."
    return s


def _reword(rng: random.Random, s: str, opener: bool = True) -> str:
    """Every synonym swapped, the templates' fixed phrases reworded, sometimes an AI opener."""
    s = _swap(rng, s, 1.0)
    for pattern, new in PHRASES:
        if rng.random() < 0.9:
            s = pattern.sub(new, s, count=1)
    if opener and rng.random() < 0.15 and not DATELINE_RE.match(s):
        s = _choice(rng, W.AI_OPENERS) + _lower_first(s)
    return s


def _restructure_or_report(rng: random.Random, s: str) -> list[str]:
    """Quotes become reported speech; other sentences get :func:`_restructure`'s changes."""
    reported = _indirect(s)
    return [reported] if reported != s else _restructure(rng, s)


def _is_fact(s: str) -> bool:
    """A sentence that carries a figure or a quote (background sentences carry neither)."""
    return '"' in s or any(ch.isdigit() for ch in s)


def make_paraphrase(rng: random.Random, src: Doc) -> list[list[str]]:
    """An AI-style rewrite: nearly every phrase and many clauses changed, facts kept, some
    background dropped, sentences reordered inside paragraphs and paragraphs merged."""
    paras: list[list[str]] = []
    for p in src.paras:
        out: list[str] = []
        for s in p:
            if paras and not _is_fact(s) and rng.random() < 0.2:
                continue  # condensed away
            out += [_reword(rng, t) for t in _restructure_or_report(rng, s)]
        if len(out) > 1 and paras and rng.random() < 0.5:
            i = rng.randrange(len(out) - 1)
            out[i], out[i + 1] = out[i + 1], out[i]
        if out and paras and len(paras[-1]) < 3 and rng.random() < 0.5:
            paras[-1] += out
        elif out:
            paras.append(out)
    return paras


def make_summary(rng: random.Random, src: Doc) -> list[list[str]]:
    """An AI blurb of two to four reworded sentences: the lead and a few facts, in order."""
    sentences = [s for p in src.paras for s in p]
    lead = DATELINE_RE.sub("", sentences[0])
    facts = [s for s in sentences[1:] if _is_fact(s)]
    picked = sorted(rng.sample(range(len(facts)), min(len(facts), rng.randint(1, 3))))
    out = [
        _reword(rng, _restructure_or_report(rng, s)[0]) for s in [lead] + [facts[i] for i in picked]
    ]
    return [out]


def _c3(part: str, whole: str) -> float:
    """Share of ``part``'s word 3-grams found in ``whole`` (the dev sets' PD measure)."""
    wp, ww = re.findall(r"\w+", part.lower()), re.findall(r"\w+", whole.lower())
    gp = {tuple(wp[i : i + 3]) for i in range(len(wp) - 2)}
    gw = {tuple(ww[i : i + 3]) for i in range(len(ww) - 2)}
    return len(gp & gw) / len(gp) if gp else 0.0


REUSE_C3 = (0.05, 0.20)  # COUNTER's partially derived stories (devdata README: 0.04-0.20)


def make_reuse(
    rng: random.Random, src: Doc, facts: dict, used: dict[str, set[int]], outlet: Outlet
) -> list[list[str]]:
    """A mostly new article with a few lightly reworded source sentences: as many as keep its
    word 3-gram containment in the source inside :data:`REUSE_C3`."""
    fresh, _ = write_report(rng, facts, used, outlet, rng.randint(350, 600))
    pool = [s for p in src.paras[1:] for s in p] or [s for p in src.paras for s in p]
    taken = [_swap(rng, s, 0.4) for s in rng.sample(pool, len(pool))]
    where = [rng.randrange(len(fresh)) for _ in taken]
    source_text = _flat(src.paras)

    def build(k: int) -> list[list[str]]:
        paras = [list(p) for p in fresh]
        for s, i in zip(taken[:k], where, strict=False):
            paras[i].append(s)
        return paras

    k = min(rng.randint(2, 5), len(taken))
    while k > 1 and _c3(_flat(build(k)), source_text) > REUSE_C3[1]:
        k -= 1
    while k < len(taken) and _c3(_flat(build(k)), source_text) < REUSE_C3[0]:
        k += 1
    return build(k)


def _flat(paras: list[list[str]]) -> str:
    return " ".join(s for p in paras for s in p)


def _es_slots(facts: dict) -> dict:
    """The event's facts as a Spanish text writes them (dates, figures, currency)."""

    def date(d: str) -> str:
        month, day = d.split()
        return f"{day} de {W.ES_MONTHS[month]}"

    money = facts["n_money"].replace(" million", "").replace(".", ",") + " millones"
    return dict(
        facts,
        day=W.ES_WEEKDAYS[facts["day"]],
        date=date(facts["date"]),
        deadline=date(facts["deadline"]),
        currency=W.ES_CURRENCIES[facts["currency"]],
        n_money=money,
        n_count=facts["n_count"].replace(",", "."),
    )


def _es_key(s: str, facts: dict) -> tuple[str, dict]:
    """Which fact a source sentence carries (the first of W.ES_FACT_ORDER), with its slots."""
    if '"' in s:
        for full, last, _role, org in facts["people"]:
            if last in s:
                return "quote", {"p": full, "po": org}
    probes = {
        "n_count": facts["n_count"],
        "n_money": facts["n_money"],
        "n_pct": facts["n_pct"] + " percent",
        "deadline": facts["deadline"],
        "date": facts["date"],
        "past_year": facts["past_year"],
        "country": facts["country"],
    }
    for key in W.ES_FACT_ORDER:
        if key == "org" and any(facts[f"org{i}"] in s for i in range(3)):
            return key, {}
        if key in probes and probes[key] in s:
            return key, {}
    return "background", {}


def make_translation(rng: random.Random, src: Doc, facts: dict) -> list[list[str]]:
    """The source in Spanish, sentence by sentence from the facts each sentence carries (no MT
    model at hand: the fact templates are written in Spanish), names and figures kept."""
    slots, seen, paras = _es_slots(facts), set(), []
    for p in src.paras:
        out = []
        for s in p:
            key, extra = _es_key(s, facts)
            options = [t for t in W.ES_FACTS[key] if t.format_map(dict(slots, **extra)) not in seen]
            if not options:
                continue  # said already: a translator would not repeat it either
            t = _choice(rng, options).format_map(dict(slots, **extra))
            seen.add(t)
            m = DATELINE_RE.match(s)
            out.append((m.group(0) if m else "") + t)
        if out:
            paras.append(out)
    return paras


def _make_hard(
    rng: random.Random, doc: Doc, src: Doc, facts: dict, used: dict[str, set[int]]
) -> None:
    """Fill ``doc`` (a hard role) from its source ``src``."""
    if doc.role == "paraphrase":
        doc.paras, doc.title = make_paraphrase(rng, src), _reword(rng, src.title, opener=False)
    elif doc.role == "summary":
        doc.paras, doc.title = make_summary(rng, src), _swap(rng, src.title, 1.0)
    elif doc.role == "reuse":
        doc.paras = make_reuse(rng, src, facts, used, doc.outlet)
        doc.title = _pick_title(rng, facts, used)
    else:
        doc.paras, doc.language = make_translation(rng, src, facts), "es"
        doc.title = _choice(rng, W.ES_HEADLINES).format_map(_es_slots(facts))


def _pick_title(rng: random.Random, facts: dict, used: dict[str, set[int]]) -> str:
    i = _pick(rng, len(W.HEADLINES), used.setdefault("headline", set()))
    return W.HEADLINES[i if i is not None else 0].format_map(_article_slots(rng, facts))


# ---------------------------------------------------------------- drift

NUM_RE = re.compile(r"(?<![\w.,])\d+(?:,\d{3})*(?:\.\d+)?(?!\w)")
YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b")
MONTH_DAY_RE = re.compile(r"\b(" + "|".join(W.MONTHS) + r") (\d{1,2})\b")
WEEKDAY_RE = re.compile(r"\b(" + "|".join(W.WEEKDAYS) + r")\b")
AUX_RE = re.compile(r"\b(will|would|is|was|has|had|could|can|are|were|did|does)\b( not)?")
QUOTE_SWAPS = {
    "will": "might", "not": "", "priority": "hope", "never": "rarely", "worse": "better", "everything": "something",
    "no": "a", "clear": "quick", "deserve": "want", "asked": "told", "safety": "comfort", "expected": "imagined",
    "warning": "lesson", "improve": "stabilise", "nothing": "little", "everyone": "staff", "working": "talking",
}  # fmt: skip


def _change_number(rng: random.Random, s: str, facts: dict) -> str | None:
    if '"' in s:
        return None  # inside a quote it would be a quote alteration
    months = {m.end(2) for m in MONTH_DAY_RE.finditer(s)}
    nums = [
        m for m in NUM_RE.finditer(s) if m.end() not in months and not YEAR_RE.fullmatch(m.group())
    ]
    if not nums:
        return None
    m = rng.choice(nums)
    old = m.group()
    value = float(old.replace(",", ""))
    new_value = value * rng.choice((0.5, 0.7, 1.3, 1.5, 2.0, 3.0)) + rng.choice((1, 2, 3))
    new = (
        f"{new_value:.1f}"
        if "." in old
        else f"{round(new_value):,}"
        if "," in old or value >= 1000
        else str(round(new_value))
    )
    return s[: m.start()] + new + s[m.end() :] if new != old else None


def _change_date(rng: random.Random, s: str, facts: dict) -> str | None:
    if '"' in s:
        return None
    m = MONTH_DAY_RE.search(s)
    if m:
        day = int(m.group(2))
        new_day = day + rng.choice((-3, -2, -1, 1, 2, 3)) if day > 3 else day + rng.randint(1, 5)
        return s[: m.start(2)] + str(new_day) + s[m.end(2) :]
    m = WEEKDAY_RE.search(s)
    if m:
        new = rng.choice([d for d in W.WEEKDAYS if d != m.group()])
        return s[: m.start()] + new + s[m.end() :]
    m = YEAR_RE.search(s)
    if m:
        return (
            s[: m.start()] + str(int(m.group()) + rng.choice((-3, -2, -1, 1, 2, 3))) + s[m.end() :]
        )
    return None


def _change_name(rng: random.Random, s: str, facts: dict) -> str | None:
    present = [last for _, last, _, _ in facts["people"] if last in s]
    if not present:
        return None
    old = rng.choice(present)
    new = old
    while new == old or new in s:
        new = _name(rng, W.SUR_A, W.SUR_B)
    return s.replace(old, new, 1)


def _change_title(rng: random.Random, s: str, facts: dict) -> str | None:
    low = s.lower()
    for _, _, role, _ in facts["people"]:
        i = low.find(role)
        if i != -1 and "former" not in low[max(0, i - 8) : i]:
            extra = rng.choice(("former ", "acting ", "deputy "))
            return (extra.capitalize() + s[0].lower() + s[1:]) if i == 0 else s[:i] + extra + s[i:]
    return None


def _alter_quote(rng: random.Random, s: str, facts: dict) -> str | None:
    parts = s.split('"')
    if len(parts) < 3:
        return None
    words = parts[1].split(" ")
    hits = [i for i, w in enumerate(words) if w.strip(",.").lower() in QUOTE_SWAPS]
    if not hits:
        return None
    i = rng.choice(hits)
    core = words[i].strip(",.")
    words[i] = words[i].replace(core, QUOTE_SWAPS[core.lower()])
    parts[1] = " ".join(w for w in words if w)
    return '"'.join(parts)


def _flip_negation(rng: random.Random, s: str, facts: dict) -> str | None:
    if '"' in s:
        return None  # inside a quote it would be a quote alteration
    m = AUX_RE.search(s)
    if not m:
        return None
    flipped = m.group(1) if m.group(2) else m.group(1) + " not"
    return s[: m.start()] + flipped + s[m.end() :]


EDITS = {
    "number_changed": _change_number,
    "date_changed": _change_date,
    "name_changed": _change_name,
    "title_changed": _change_title,
    "quote_altered": _alter_quote,
    "negation_flipped": _flip_negation,
}


def inject_drift(rng: random.Random, doc: Doc, facts: dict, boiler: set[str]) -> None:
    """Apply one or two typed edits to ``doc`` in place and record them as findings."""
    edited: set[str] = set()
    for kind in rng.sample(DRIFT_KINDS, rng.choice((1, 1, 2))):
        new = _inject_one(rng, doc, facts, kind, boiler | edited)
        if new:
            edited.add(new)
            doc.findings.append(
                {
                    "kind": kind,
                    # filled in with the source's ref once refs exist
                    "source_article": None if kind == "unsourced_sentence" else "source",
                    "derived_text": new,
                    "severity": SEVERITY.get(kind, "high"),
                }
            )


def _inject_one(rng: random.Random, doc: Doc, facts: dict, kind: str, skip: set[str]) -> str | None:
    places = [(i, j) for i, p in enumerate(doc.paras) for j, s in enumerate(p) if s not in skip]
    if not places:
        return None
    if kind == "unsourced_sentence":
        # two outlets never invent the same claim independently: a template is used once
        # per story, so siblings never "support" each other's invention
        used = facts.setdefault("unsourced_used", set())
        free = [t for t in W.UNSOURCED if t not in used]
        if not free:
            return None
        template = rng.choice(free)
        used.add(template)
        # after a sentence that ends without a full stop (a quote template's closing mark)
        # the insertion would run on as part of that sentence, not stand as one of its own
        ends = [(i, j) for i, j in places if doc.paras[i][j].rstrip().endswith((".", "!", "?"))]
        i, j = rng.choice(ends or places)
        slots = _article_slots(rng, facts)
        new = template.format_map(slots)
        doc.paras[i].insert(j + 1, new)
        return new
    for i, j in rng.sample(places, min(len(places), 25)):
        new = EDITS[kind](rng, doc.paras[i][j], facts)
        if new and new != doc.paras[i][j]:
            doc.paras[i][j] = new
            return new
    return None


# ---------------------------------------------------------------- corpus plan


def _plan(n: int, rng: random.Random, hard: bool = False) -> list[list[str]]:
    """Role lists per story: ["original", ...]; singletons for unrelated stories."""
    mix = {**MIX, **HARD_MIX} if hard else MIX
    counts = {k: int(n * share) for k, share in mix.items()}
    base = n - sum(counts.values())
    originals = max(1, round(base * 0.75)) if base else 0
    independents = base - originals
    if originals == 0:  # tiny n: everything original
        return [["original"] for _ in range(n)]
    stories = [["original"] for _ in range(originals)]
    # heavy-tailed popularity: a few stories are copied everywhere, most hardly at all
    weights = [
        min(rng.paretovariate(1.2), 40.0) for _ in stories
    ]  # capped: no story is copied 1000 times
    extra = ["independent"] * independents + [
        k for k in mix if k != "unrelated" for _ in range(counts[k])
    ]
    for role, s in zip(extra, rng.choices(range(originals), weights, k=len(extra)), strict=True):
        stories[s].append(role)
    for roles in stories:
        tail = roles[1:]
        rng.shuffle(tail)
        tail.sort(key=lambda r: r != "independent")  # independents first, derivations after
        roles[1:] = tail
    return stories + [["unrelated"] for _ in range(counts["unrelated"])]


def _lag(rng: random.Random, median_minutes: float) -> float:
    """Seconds between a source and its derivation: log-normal, two minutes to a week."""
    return min(max(rng.lognormvariate(math.log(median_minutes * 60), 1.3), 120.0), 7 * DAY)


LAG_MINUTES = {
    "copy": 120,
    "excerpt": 20,
    "rewrite": 360,
    "partial": 180,
    "paraphrase": 240,
    "summary": 60,
    "reuse": 300,
    "translation": 480,
}
OUTLET_KINDS = {
    "original": ("wire", "wire", "paper"),
    "unrelated": ("wire", "paper", "paper"),
    "independent": ("paper", "paper", "wire"),
    "copy": ("farm", "farm", "farm", "paper"),
    "excerpt": ("aggregator", "aggregator", "farm"),
    "rewrite": ("farm", "farm", "paper"),
    "partial": ("paper", "wire"),
    "paraphrase": ("farm", "farm", "paper"),
    "summary": ("aggregator", "aggregator", "farm"),
    "reuse": ("paper", "paper", "wire"),
    "translation": ("paper",),
}


def _outlet(rng: random.Random, role: str, avoid: Outlet | None) -> Outlet:
    pool = BY_KIND[rng.choice(OUTLET_KINDS[role])]
    choice = rng.choice(pool)
    return choice if choice != avoid else rng.choice(pool)


def _source(rng: random.Random, docs: list[Doc]) -> int:
    """Mostly the original; sometimes an independent report or a faithful copy (chains)."""
    r = rng.random()
    others = [i for i, d in enumerate(docs) if d.role == "independent"]
    chains = [i for i, d in enumerate(docs) if d.role in ("copy", "rewrite") and not d.findings]
    if r < 0.12 and others:
        return rng.choice(others)
    if r < 0.2 and chains:
        return rng.choice(chains)
    return 0


def _make_story(rng: random.Random, roles: list[str], facts: dict, drift: bool) -> list[Doc]:
    used: dict[str, set[int]] = {}
    t0 = YEAR_START + rng.uniform(0, 364 * DAY)
    docs: list[Doc] = []
    for role in roles:
        if role in ("original", "unrelated", "independent"):
            outlet = _outlet(rng, role, docs[0].outlet if docs else None)
            words = max(300, min(900, round(rng.gauss(600, 120))))
            paras, title = write_report(rng, facts, used, outlet, words)
            when = t0 if not docs else t0 + rng.uniform(1200, 18 * 3600)
            docs.append(
                Doc(paras, title, outlet, when, "original" if role == "unrelated" else role)
            )
            continue
        k = _source(rng, docs)
        src = docs[k]
        outlet = _outlet(rng, role, src.outlet)
        doc = Doc([], src.title, outlet, src.published + _lag(rng, LAG_MINUTES[role]), role, k)
        if role == "copy":
            doc.paras = make_copy(rng, src, outlet)
            if outlet.kind == "farm" and rng.random() < 0.3:
                doc.title = f"{src.title} | {outlet.name}"
        elif role == "excerpt":
            doc.paras = make_excerpt(rng, src)
        elif role == "rewrite":
            doc.paras = make_rewrite(rng, src)
            doc.title = _swap(rng, src.title, 0.8)
        elif role in HARD_KINDS:
            _make_hard(rng, doc, src, facts, used)
        else:
            doc.paras = make_partial(rng, src, facts, used, outlet)
            doc.title = "UPDATE: " + src.title if rng.random() < 0.5 else src.title + " (updated)"
        docs.append(doc)
    if drift:
        _drift_story(rng, docs, facts)
    return docs


def _drift_story(rng: random.Random, docs: list[Doc], facts: dict) -> None:
    """About 40% of copies and rewrites get edits; articles that others were made from stay
    faithful, so a chain's truth never depends on its source's edits."""
    sources_of_chains = {d.source for d in docs if d.source is not None}
    boiler = set(DEBRIS) | {b for o in OUTLETS for b in o.boilerplate}
    for i, d in enumerate(docs):
        if d.role in ("copy", "rewrite") and i not in sources_of_chains and rng.random() < 0.4:
            inject_drift(
                rng,
                d,
                facts,
                boiler
                | {
                    s
                    for p in d.paras
                    for s in p
                    if s.startswith(("This article originally", "Read the full"))
                },
            )


# ---------------------------------------------------------------- output


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(round(ts), tz=UTC).isoformat()


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]


def generate_corpus(
    n: int, seed: int = 1, drift: bool = False, hard: bool = False
) -> tuple[list[dict], dict]:
    """``n`` JSONL records sorted by publication time, and their truth dict.

    Deterministic for a seed. Record ids are ``art-000001``... in file order. ``hard`` adds the
    :data:`HARD_MIX` derivations (the default corpus is the same with or without this option's
    existence: nothing of it runs unless asked).

    >>> recs, truth = generate_corpus(30, seed=2, drift=True)
    >>> sorted(recs[0])
    ['id', 'language', 'outlet', 'published', 'text', 'title', 'url']
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    # millions of small strings and no cycles: the cyclic GC would only rescan them
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _generate(n, seed, drift, hard)
    finally:
        if was_enabled:
            gc.enable()


def _generate(n: int, seed: int, drift: bool, hard: bool = False) -> tuple[list[dict], dict]:
    rng = random.Random(seed)
    stories: list[tuple[list[Doc], dict]] = []
    recent: list[dict] = []
    for roles in _plan(n, rng, hard):
        # unrelated-ish: half reuse a recent event's type and country, a hard negative
        etype = (
            recent[-1]["etype"]
            if roles == ["unrelated"] and recent and rng.random() < 0.5
            else None
        )
        facts = make_facts(rng, etype)
        if etype is not None:
            facts["country"] = recent[-1]["country"]
        recent = [*recent[-20:], facts]
        stories.append((_make_story(rng, roles, facts, drift), facts))
    docs = sorted((d for ds, _ in stories for d in ds), key=lambda d: d.published)
    for k, d in enumerate(docs, 1):
        d.ref = f"art-{k:06d}"
    records = [_record(d) for d in docs]
    return records, _truth(stories, [d.ref for d in docs])


def _record(d: Doc) -> dict:
    text = "\n\n".join(" ".join(p) for p in d.paras if p)
    day = datetime.fromtimestamp(d.published, tz=UTC)
    url = f"https://{d.outlet.domain}/{day:%Y/%m/%d}/{_slug(d.title)}-{d.ref[-6:]}"
    return {
        "id": d.ref,
        "url": url,
        "outlet": d.outlet.domain,
        "title": d.title,
        "text": text,
        "published": _iso(d.published),
        "language": d.language,
    }


def _truth(stories: list[tuple[list[Doc], dict]], refs: list[str]) -> dict:
    relations, story_list, findings = [], [], []
    for docs, _ in stories:
        story_list.append(
            {"articles": [d.ref for d in docs], "original": docs[0].ref, "external_origin": None}
        )
        for d in docs:
            if d.source is None:
                continue
            src = docs[d.source].ref
            rel = {"source": src, "derived": d.ref, "kind": HARD_KINDS.get(d.role, d.role)}
            if d.role in HARD_KINDS:
                rel["variant"] = d.role
            relations.append(rel)
            for f in d.findings:
                findings.append(
                    {"article": d.ref, **f, "source_article": f["source_article"] and src}
                )
    return {"articles": refs, "relations": relations, "stories": story_list, "findings": findings}


def _jaccard5(a: str, b: str) -> float:
    wa, wb = re.findall(r"\w+", a.lower()), re.findall(r"\w+", b.lower())
    ga = {tuple(wa[i : i + 5]) for i in range(len(wa) - 4)}
    gb = {tuple(wb[i : i + 5]) for i in range(len(wb) - 4)}
    return len(ga & gb) / len(ga | gb) if ga | gb else 0.0


def measure_derivations(records: list[dict], truth: dict) -> dict[str, dict[str, list[float]]]:
    """Per relation kind (a hard role counts under its ``variant``): the quartiles (10/25/50/75/90
    percentiles) of the derived text's word 3-gram containment in its source and of their word
    5-gram Jaccard, to show how hard a corpus is (COUNTER's PD: 3-gram containment 0.04-0.20).

    >>> recs, truth = generate_corpus(300, seed=4, hard=True)
    >>> m = measure_derivations(recs, truth)
    >>> 0.05 <= m["reuse"]["c3"][2] <= 0.2 and m["translation"]["c3"][2] < 0.05
    True
    """
    by_id = {r["id"]: r["text"] for r in records}
    values: dict[str, dict[str, list[float]]] = {}
    for rel in truth["relations"]:
        src, der = by_id[rel["source"]], by_id[rel["derived"]]
        v = values.setdefault(rel.get("variant", rel["kind"]), {"c3": [], "j5": []})
        v["c3"].append(_c3(der, src))
        v["j5"].append(_jaccard5(der, src))
    return {k: {m: _percentiles(xs) for m, xs in v.items()} for k, v in sorted(values.items())}


def _percentiles(xs: list[float]) -> list[float]:
    xs = sorted(xs)
    return [round(xs[min(len(xs) - 1, int(q * len(xs)))], 3) for q in (0.1, 0.25, 0.5, 0.75, 0.9)]


def write_corpus(out: Path, records: list[dict], truth: dict) -> None:
    """Write ``out/corpus.jsonl`` and ``out/truth.json``."""
    out.mkdir(parents=True, exist_ok=True)
    with (out / "corpus.jsonl").open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    (out / "truth.json").write_text(
        json.dumps(truth, indent=1, ensure_ascii=False), encoding="utf-8"
    )


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m bench.generate --n 10000 --seed 1 --out DIR [--drift]``."""
    ap = argparse.ArgumentParser(
        prog="python -m bench.generate", description=__doc__.split("\n\n")[0]
    )
    ap.add_argument("--n", type=int, default=1000, help="number of articles")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True, help="output folder")
    ap.add_argument(
        "--drift", action="store_true", help="inject typed edits into some copies/rewrites"
    )
    ap.add_argument(
        "--hard",
        action="store_true",
        help="add AI-style paraphrases and summaries, 5-20%% partial reuse and Spanish "
        "translations (HARD_MIX), and print how much each kind shares with its source",
    )
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("--n must be at least 1")
    t = time.perf_counter()
    records, truth = generate_corpus(args.n, args.seed, args.drift, args.hard)
    gen = time.perf_counter() - t
    write_corpus(args.out, records, truth)
    kinds: dict[str, int] = {}
    for r in truth["relations"]:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    print(
        f"{len(records)} articles, {len(truth['stories'])} stories, relations {kinds}, "
        f"{len(truth['findings'])} findings; generated in {gen:.1f}s, written in "
        f"{time.perf_counter() - t - gen:.1f}s to {args.out}",
        file=sys.stderr,
    )
    if args.hard:
        _print_measures(measure_derivations(records, truth))
    return 0


def _print_measures(measures: dict[str, dict[str, list[float]]]) -> None:
    print("kind: p10/p25/p50/p75/p90 of word 3-gram containment in the source | 5-gram Jaccard")
    for kind, m in measures.items():
        c3, j5 = ("/".join(f"{x:.2f}" for x in m[k]) for k in ("c3", "j5"))
        print(f"  {kind:<12} {c3} | {j5}")


if __name__ == "__main__":
    raise SystemExit(main())
