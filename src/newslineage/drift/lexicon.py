"""The word lists the drift detectors look words up in, in one place to read and extend.

Each list says what a detector treats as a negator, an office, a title modifier, a word that
is never a name, the head of an organisation's name, or an antonym pair; the detectors
themselves live in ``figures``, ``names``, ``titles``, ``negation`` and ``altered_quotes``.
"""

from __future__ import annotations

NEGATORS = frozenset(
    {"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot"}
)
NEG_PREFIXES = ("un", "in", "im", "ir", "il", "dis", "non-", "non")
TITLE_MODIFIERS = frozenset({"former", "acting", "deputy", "interim", "ex", "outgoing", "late"})
OFFICES = frozenset(
    [
        "president", "premier", "prime", "minister", "secretary", "chancellor", "governor",
        "mayor", "senator", "sen", "rep", "representative", "congressman", "congresswoman",
        "ambassador", "envoy", "general", "admiral", "colonel", "commander", "chief",
        "director", "chairman", "chairwoman", "chair", "ceo", "spokesman", "spokeswoman",
        "spokesperson", "harbormaster", "commissioner", "judge", "justice", "king", "queen",
        "prince", "princess", "pope", "leader", "head", "officer", "adviser", "advisor",
        "attorney", "speaker", "state", "defense", "foreign", "interior", "finance",
        "treasury", "transport", "health", "trade", "labor", "education", "energy", "home",
        "economy", "agriculture", "environment", "culture", "war", "navy", "army", "vice",
        "fire", "police",
    ]
)  # fmt: skip
TITLE_GLUE = frozenset({"of", "the", "for", "and", "us", "uk", "eu", "un", "nato", "new"})
NOT_NAMES = (
    frozenset(
        [
            "the", "a", "an", "and", "but", "or", "if", "in", "on", "at", "of", "for", "to",
            "by", "with", "from", "as", "this", "that", "these", "those", "it", "its", "he",
            "she", "they", "we", "his", "her", "their", "our", "i", "you", "mr", "mrs",
            "ms", "dr", "however", "meanwhile", "additionally", "also", "january",
            "february", "march", "april", "may", "june", "july", "august", "september",
            "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
            "friday", "saturday", "sunday", "us", "uk", "eu", "america", "american",
            "united", "states", "britain", "british", "kingdom",
            # a tokenised summariser's placeholder for a word it could not write ("UNK",
            # "[UNK]"): a gap, not another name (the support check drops it too)
            "unk",
        ]
    )
    | OFFICES
    | TITLE_MODIFIERS
)  # fmt: skip
#: words skipped when comparing what a figure counts or what a quote says
FUNCTION_WORDS = frozenset(
    {"the", "a", "an", "of", "in", "on", "at", "to", "and", "than", "more", "over"}
)
#: words that tie a role to its organisation: "hydrologist at Dunfield Water Board"
ROLE_LINKS = frozenset({"at", "of", "for"})
DO_FORMS = frozenset({"do", "does", "did"})
AUXILIARIES = frozenset(
    [
        "is", "was", "are", "were", "be", "been", "has", "have", "had", "will", "would",
        "could", "can", "should", "may", "might", "must",
    ]
)  # fmt: skip
#: word pairs whose negation is a paraphrase, not a flip: "was not approved" = "was rejected"
ANTONYMS = frozenset(
    frozenset(p)
    for p in (
        ("accept", "reject"), ("approve", "reject"), ("allow", "ban"), ("allow", "forbid"),
        ("succeed", "fail"), ("confirm", "deny"), ("agree", "refuse"), ("support", "oppose"),
        ("include", "exclude"), ("win", "lose"), ("rise", "fall"), ("increase", "decrease"),
        ("open", "close"), ("pass", "fail"), ("remember", "forget"), ("like", "dislike"),
        ("present", "absent"), ("known", "unknown"), ("possible", "impossible"),
    )
)  # fmt: skip
#: capitalised words that open no person's name ("The Board", "Mr Smith")
NOT_FIRST = frozenset(
    [
        "The", "A", "An", "And", "But", "Or", "If", "In", "On", "At", "Of", "For", "To",
        "By", "With", "From", "As", "This", "That", "These", "Those", "It", "Its", "He",
        "She", "They", "We", "His", "Her", "Their", "Our", "Mr", "Mrs", "Ms", "Dr",
        "However", "Meanwhile", "Additionally", "Also", "Secretary", "President",
        "Minister", "Chancellor", "Governor", "Mayor", "Senator", "General", "Chief",
        "Director", "Judge", "King", "Queen", "Prince", "Former", "Acting", "Deputy",
        "Vice", "Prime", "Defense", "Defence", "State", "Foreign", "Speaker", "Ambassador",
        "Pope", "Sir", "Lord", "Lady", "Saint", "St", "Fort", "Port", "Lake", "Mount",
        "Cape", "North", "South", "East", "West", "New", "Old", "Great", "Little", "Union",
        "Harbour", "Harbor", "Transport", "Interior", "Finance", "Justice", "Labour",
        "Labor", "Trade", "Health", "Home", "January", "February", "March", "April", "May",
        "June", "July", "August", "September", "October", "November", "December", "Monday",
        "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Russian",
        "American", "British", "French", "German", "Ukrainian", "Italian", "Polish",
        "Spanish", "Chinese", "European", "National", "Royal", "Federal", "Central",
    ]
)  # fmt: skip
#: the head of an organisation's, a place's or an event's name ("Safety Board")
ORG_WORDS = frozenset(
    [
        "group", "board", "council", "ministry", "department", "agency", "union", "party",
        "company", "bank", "office", "committee", "commission", "authority", "service",
        "court", "port", "university", "institute", "association", "federation",
        "organization", "organisation", "alliance", "forum", "fund", "police", "army",
        "navy", "house", "square", "street", "road", "conference", "summit", "forces",
        "force", "war", "region",
    ]
)  # fmt: skip
# the heads of organisation names ("… Contact Group"); ORG_WORDS also holds places and events
ORG_HEADS = ORG_WORDS - {
    "region", "force", "forces", "summit", "street", "house", "war", "conference", "road", "square"
}  # fmt: skip
#: finite verbs: a line holding none is a caption or a heading, not a sentence
FINITE_VERBS = frozenset(
    [
        "said", "says", "told", "was", "were", "had", "has", "have", "will", "would",
        "could", "can", "did", "does", "is", "are", "according", "reported", "announced",
    ]
)  # fmt: skip
