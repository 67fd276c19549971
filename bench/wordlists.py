"""Word lists and sentence templates for the synthetic corpus (written for this project).

Everything here is invented: names are built from syllables, places and organisations
from parts, so no real person or event appears in a generated article. Content words come
in *synonym groups*: the background grammar picks one member, and the rewrite transform
swaps a member for another of its group, the way a paraphraser or a machine-translation
round trip does.
"""

from __future__ import annotations

FIRST_A = "Al Be Ca Da E Fa Ga Ha I Jo Ka La Ma Ni O Pe Ra Sa Ta Va Ye Za Mi Lu Ro".split()
FIRST_B = "ra lin na mon ven dric sa rin tan ela mir don ko lia ren bel cia nor vik dan".split()
SUR_A = (
    "Kor Dant Bel Var Ost Hal Mer Quin Tav Sel Brom Cald Dre Fen Gor Lind Marr Nev Pell Rost "
    "Strel Thorn Ulv Wend Yar Zell Ash Brae Crom Drav"
).split()
SUR_B = "vel row ski ford ington sen ova ari ek wick dale mont ier ano hardt quist elli oski by ston an is er mann".split()
CITY_A = "Ash Bel Cor Dun Elm Fal Gran Hal Ir Kes Lor Mar Nor Ost Pen Quar Ros Sal Tor Val Wex Yel Brem Cal Dor Esk".split()
CITY_B = "ford mere holm vik stad bury port wick haven dale burg mouth field lan ora ec ova gate".split()
COUNTRY_A = "Vel Ost Mar Kel Dra Sar Tal Bor Lun Cyr Ard Pal Esk Nov Rav".split()
COUNTRY_B = "aria enia ovia land ania essa ora avia ium ara".split()
REGION_KIND = ["Province", "County", "Valley", "Coast", "Highlands", "District"]
CURRENCIES = ["crowns", "marks", "florins", "dinars", "thalers", "ducats"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

# One event type = the vocabulary its facts are written with. ``topic`` and ``place``
# are synonym groups; ``{sur}``/``{city}`` in organisation names are filled per event.
EVENT_TYPES: list[dict] = [
    dict(topic=["strike", "walkout", "stoppage"], unit="workers", place=["port", "container terminal", "harbour"],
         past="walked off the job", future="return to work", cause="a dispute over wages and night shifts",
         money="in delayed shipments", pct="of cargo traffic",
         roles=["union leader", "port director", "labour minister", "trade economist"],
         orgs=["Dockworkers' Union", "{city} Port Authority", "Ministry of Labour"]),
    dict(topic=["fire", "blaze", "inferno"], unit="residents", place=["chemical plant", "factory", "warehouse"],
         past="were evacuated", future="return to their homes", cause="a fault in a storage tank",
         money="in damaged stock and equipment", pct="of the site",
         roles=["fire chief", "plant manager", "regional governor", "safety inspector"],
         orgs=["{city} Fire and Rescue Service", "{sur} Chemical Works", "Environment Agency"]),
    dict(topic=["flood", "flooding", "deluge"], unit="households", place=["river valley", "lowland district", "old town"],
         past="were cut off by rising water", future="go back to their homes", cause="three days of torrential rain",
         money="in damage to roads and homes", pct="of farmland in the valley",
         roles=["mayor", "hydrologist", "interior minister", "emergency coordinator"],
         orgs=["Civil Protection Agency", "{city} Water Board", "Relief Council"]),
    dict(topic=["budget vote", "spending vote", "budget ballot"], unit="lawmakers", place=["parliament", "national assembly", "upper chamber"],
         past="voted for a revised budget", future="approve the final bill", cause="a row over cuts to public hospitals",
         money="in new spending", pct="of the health budget",
         roles=["finance minister", "opposition leader", "speaker", "budget analyst"],
         orgs=["Finance Ministry", "Fiscal Council", "Social Alliance"]),
    dict(topic=["takeover", "merger", "acquisition"], unit="employees", place=["headquarters", "main plant", "head office"],
         past="were told their jobs would move", future="sign new contracts", cause="falling sales across the region",
         money="in the deal", pct="of the combined market",
         roles=["chief executive", "board chair", "competition commissioner", "industry analyst"],
         orgs=["{sur} Industries", "{sur2} Group", "Competition Authority"]),
    dict(topic=["ruling", "verdict", "judgment"], unit="plaintiffs", place=["supreme court", "appeals court", "high court"],
         past="won their case", future="receive compensation", cause="a contested land deal",
         money="in compensation", pct="of the disputed land",
         roles=["chief judge", "lead lawyer", "justice minister", "legal scholar"],
         orgs=["Supreme Court of {country}", "Bar Association", "Land Registry"]),
    dict(topic=["election", "vote", "ballot"], unit="voters", place=["capital", "northern provinces", "coastal districts"],
         past="turned out to vote", future="learn the final result", cause="a bitter campaign over housing",
         money="in campaign spending", pct="of the vote",
         roles=["candidate", "election commissioner", "prime minister", "pollster"],
         orgs=["Electoral Commission", "People's Party", "Green Union"]),
    dict(topic=["bridge project", "crossing project", "bridge scheme"], unit="commuters", place=["river crossing", "bridge site", "estuary"],
         past="were affected by the closure", future="use the new crossing", cause="delays in steel deliveries",
         money="in extra costs", pct="of the route",
         roles=["transport minister", "chief engineer", "mayor", "construction analyst"],
         orgs=["Transport Ministry", "{sur} Construction", "Roads Agency"]),
    dict(topic=["outbreak", "epidemic", "infection wave"], unit="patients", place=["district hospital", "clinic", "care home"],
         past="were admitted with fever", future="leave hospital", cause="contaminated drinking water",
         money="in emergency health spending", pct="of hospital beds",
         roles=["health minister", "chief physician", "epidemiologist", "district nurse"],
         orgs=["Health Ministry", "Public Health Institute", "{city} General Hospital"]),
    dict(topic=["discovery", "finding", "breakthrough"], unit="researchers", place=["university laboratory", "research station", "observatory"],
         past="published their results", future="repeat the experiment", cause="a decade of field measurements",
         money="in research funding", pct="of the samples",
         roles=["lead author", "lab director", "science minister", "independent expert"],
         orgs=["{city} University", "National Science Foundation", "Institute of Applied Physics"]),
    dict(topic=["protest", "demonstration", "rally"], unit="protesters", place=["central square", "city hall", "main avenue"],
         past="marched through the streets", future="disperse peacefully", cause="a planned rise in fuel prices",
         money="in damage to shops", pct="of the city centre",
         roles=["police chief", "organiser", "interior minister", "sociologist"],
         orgs=["{city} Police", "Citizens' Forum", "Ministry of the Interior"]),
    dict(topic=["cyberattack", "hack", "data breach"], unit="customers", place=["data centre", "online bank", "payment system"],
         past="lost access to their accounts", future="log in again", cause="a flaw in outdated software",
         money="in ransom demands", pct="of online services",
         roles=["chief technology officer", "security researcher", "digital minister", "spokesperson"],
         orgs=["{sur} Bank", "National Cyber Security Centre", "Consumer Protection Office"]),
]  # fmt: skip

# Fact sentence templates, one list per fact; articles of one story use different
# variants so independent reports never share a sentence. Slots: see generate._facts.
FACT_TEMPLATES: dict[str, list[str]] = {
    "lead": [
        "{n_count} {unit} {past} at the {place} in {city} on {day}, {p1r} {p1} said.",
        "The {topic} at the {place} in {city} began on {day}, when {n_count} {unit} {past}.",
        "A {topic} that started on {day} at the {place} in {city} involved {n_count} {unit}, according to {org0}.",
        "On {day}, {n_count} {unit} {past} at the {place} in {city}, in what {p1} called the worst {topic} in {n_small} years.",
        "{city} was hit on {day} by a {topic} at its {place} that involved {n_count} {unit}.",
        "Some {n_count} {unit} in {city} {past} on {day} as the {topic} at the {place} spread.",
    ],
    "cause": [
        "The {topic} was triggered by {cause}.",
        "{org0} said the {topic} followed {cause}.",
        "At the heart of the {topic} is {cause}, officials said.",
        "Local officials blamed {cause} for the {topic}.",
        "It came after {cause}, according to people familiar with the matter.",
        "The trigger, {p0l} said, was {cause}.",
    ],
    "money": [
        "The {topic} has cost an estimated {n_money} {currency} {money}.",
        "{org1} put the damage at {n_money} {currency} {money}.",
        "Losses {money} could reach {n_money} {currency}, {p3r} {p3} estimated.",
        "Early estimates suggest a bill of {n_money} {currency} {money}.",
        "According to {org1}, roughly {n_money} {currency} was lost {money}.",
    ],
    "pct": [
        "About {n_pct} percent {pct} was affected.",
        "{p3} said {n_pct} percent {pct} had been disrupted.",
        "The figures show that {n_pct} percent {pct} is now at risk.",
        "Roughly {n_pct} percent {pct} was hit, according to data from {org1}.",
        "{org1} estimates that {n_pct} percent {pct} will need repairs.",
    ],
    "deadline": [
        "{org0} has set a deadline of {deadline} for the {unit} to {future}.",
        "{p1} said the {unit} were expected to {future} by {deadline}.",
        "Officials hope the {unit} will {future} before {deadline}.",
        "A decision on whether the {unit} can {future} is due on {deadline}.",
        "The {unit} could {future} as early as {deadline}, {p1l} said.",
    ],
    "reaction": [
        "The government of {country} said it was monitoring the situation closely.",
        "{org2} called for an independent review of the {topic}.",
        "Opposition lawmakers in {country} demanded answers from {org0}.",
        "The {topic} drew criticism from {org2}, which said warnings had been ignored.",
        "In a statement, {org2} said it would support the {unit} and their families.",
    ],
    "next": [
        "Talks between {org0} and {org1} are scheduled to resume on {date}.",
        "{p2r} {p2} is due to visit {city} on {date}.",
        "A public hearing on the {topic} will be held in {city2} on {date}.",
        "{org0} will meet again on {date} to review the situation.",
        "The next update from {org1} is expected on {date}.",
    ],
    "history": [
        "The last comparable {topic} in {region} happened in {past_year}.",
        "{city} has seen {n_small} similar incidents since {past_year}.",
        "It is the first {topic} of its kind in {region} since {past_year}.",
        "Records kept by {org1} show {n_small} such cases in {region} since {past_year}.",
    ],
}

# Quote sentences; ``{q}`` is the person's quote, fixed per event so it recurs across reports.
QUOTE_TEMPLATES = [
    '"{q}," said {pr} {p}.',
    '"{q}," {pl} told reporters.',
    '{p}, the {pr} at {po}, said: "{q}"',
    '"{q}," {pl} said in a statement.',
    '{pr} {p} told local media: "{q}"',
    'Speaking in {city}, {p} said: "{q}"',
]
QUOTES = [
    "We will not accept a solution that puts {unit} at risk",
    "This {topic} is about {cause}, and nothing else",
    "Our priority is the safety of everyone at the {place}",
    "We have asked {org1} to act within {n_small} days",
    "Nobody expected the {topic} to last this long",
    "There is no quick fix, but we are working with {org0}",
    "I have never seen anything like this in {n_small} decades",
    "The numbers are worse than we feared",
    "We are doing everything we can for the {unit}",
    "This was a warning we could not ignore",
    "People in {city} deserve clear answers",
    "We expect the situation to improve by {deadline}",
]

HEADLINES = [
    "{topic_cap} at {city} {place}: {n_count} {unit} affected",
    "{n_count} {unit} caught up in {city} {topic}",
    "{p1l} says {topic} could last until {deadline}",
    "What we know about the {city} {topic}",
    "{city} {topic} costs {n_money} {currency}",
    "{org0} under pressure after {city} {topic}",
    "{topic_cap} hits {city} as {n_pct} percent {pct} affected",
]

# Background grammar. Upper-case slots draw from the synonym groups below; lower-case
# slots are event facts. These sentences carry no checkable fact, only texture.
BACKGROUND = [
    "{OPEN}, the {ADJ} {NOUN} in {city} {VPAST} the {ADJ} {NOUN}.",
    "{NOUNS} across {region} {VPAST} the {ADJ} {NOUNS} {TIME}.",
    "{OPEN}, {p0l} {VPAST} that the {NOUN} would {VERB} the {ADJ} {NOUNS}.",
    "Many {NOUNS} in {country} {VERB} the {ADJ} {NOUN} {TIME}.",
    "The {ADJ} {NOUN} has long {VPAST} the {NOUNS} of {city}.",
    "{NOUNS} {VPAST} the {NOUN} {ADV}, and the {ADJ} {NOUNS} {VPAST} it {TIME}.",
    "Critics argue that the {ADJ} {NOUN} could {VERB} the {NOUNS} of {region}.",
    "{OPEN}, {org2} {VPAST} a {ADJ} {NOUN} on the {NOUNS}.",
    "The {NOUN} is {ADV} {ADJ}, said one {NOUN_PERSON} who asked not to be named.",
    "Few {NOUNS} in {city2} {VPAST} the {ADJ} {NOUN}, which had {VPAST} the {NOUNS} {TIME}.",
    "{OPEN}, the {topic} {VPAST} a {ADJ} {NOUN} about the {NOUNS} of {country}.",
    "Some {NOUN_PEOPLE} {VPAST} the {ADJ} {NOUNS} while others {VPAST} the {NOUN}.",
    "The {NOUNS} {VPAST} by {org1} did not {VERB} the {ADJ} {NOUN}.",
    "{NOUN_PEOPLE_CAP} in {city} said the {ADJ} {NOUN} was {ADV} {ADJ}.",
    "A {ADJ} {NOUN} from {org0} {VPAST} the {NOUNS} {TIME}.",
    "{OPEN}, {NOUN_PEOPLE} {VPAST} that {ADJ} {NOUNS} would {VERB} the {NOUN}.",
    "The {ADJ} {NOUNS} have {ADV} {VPAST} the {NOUN} since {past_year}.",
    "Its {ADJ} {NOUN} is one of the {NOUNS} that {NOUN_PEOPLE} in {region} {VERB} {TIME}.",
    "{p2l} has {VPAST} the {ADJ} {NOUN} and {VPAST} the {NOUNS} of {org2}.",
    "Near the {place}, {NOUN_PEOPLE} {VPAST} the {ADJ} {NOUNS} {ADV}.",
    "The {NOUN} of {city2} has {VPAST} a {ADJ} {NOUN} {TIME}.",
    "Whether the {NOUNS} will {VERB} the {ADJ} {NOUN} remains unclear.",
    "{OPEN}, a {ADJ} {NOUN} {VPAST} the {NOUNS} near the {place}.",
    "The {topic} has {VPAST} {ADJ} {NOUNS} about the {NOUN} in {region}.",
]

# (singular, plural) synonym groups
NOUN_GROUPS: list[list[tuple[str, str]]] = [
    [("plan", "plans"), ("proposal", "proposals"), ("scheme", "schemes")],
    [("report", "reports"), ("study", "studies"), ("assessment", "assessments")],
    [("meeting", "meetings"), ("session", "sessions"), ("gathering", "gatherings")],
    [("rule", "rules"), ("regulation", "regulations"), ("guideline", "guidelines")],
    [("problem", "problems"), ("issue", "issues"), ("difficulty", "difficulties")],
    [("decision", "decisions"), ("choice", "choices"), ("resolution", "resolutions")],
    [("debate", "debates"), ("discussion", "discussions"), ("dispute", "disputes")],
    [("change", "changes"), ("shift", "shifts"), ("reform", "reforms")],
    [("road", "roads"), ("street", "streets"), ("route", "routes")],
    [("building", "buildings"), ("structure", "structures"), ("facility", "facilities")],
    [("budget", "budgets"), ("fund", "funds"), ("allocation", "allocations")],
    [("warning", "warnings"), ("alert", "alerts"), ("notice", "notices")],
    [("effort", "efforts"), ("attempt", "attempts"), ("initiative", "initiatives")],
    [("result", "results"), ("outcome", "outcomes"), ("consequence", "consequences")],
    [("concern", "concerns"), ("worry", "worries"), ("fear", "fears")],
    [("policy", "policies"), ("strategy", "strategies"), ("approach", "approaches")],
    [("market", "markets"), ("economy", "economies"), ("sector", "sectors")],
    [("program", "programs"), ("project", "projects"), ("venture", "ventures")],
    [("claim", "claims"), ("allegation", "allegations"), ("assertion", "assertions")],
    [("investigation", "investigations"), ("inquiry", "inquiries"), ("probe", "probes")],
    [("price", "prices"), ("cost", "costs"), ("charge", "charges")],
    [("agreement", "agreements"), ("deal", "deals"), ("accord", "accords")],
    [("risk", "risks"), ("danger", "dangers"), ("threat", "threats")],
    [("response", "responses"), ("reaction", "reactions"), ("reply", "replies")],
    [("community", "communities"), ("neighbourhood", "neighbourhoods"), ("district", "districts")],
    [("system", "systems"), ("network", "networks"), ("framework", "frameworks")],
    [("law", "laws"), ("bill", "bills"), ("statute", "statutes")],
    [("request", "requests"), ("demand", "demands"), ("appeal", "appeals")],
    [("tradition", "traditions"), ("custom", "customs"), ("practice", "practices")],
    [("supply", "supplies"), ("stock", "stocks"), ("reserve", "reserves")],
    [("school", "schools"), ("college", "colleges"), ("academy", "academies")],
    [("farm", "farms"), ("estate", "estates"), ("holding", "holdings")],
    [("contract", "contracts"), ("arrangement", "arrangements"), ("commitment", "commitments")],
    [("record", "records"), ("archive", "archives"), ("file", "files")],
    [("border", "borders"), ("frontier", "frontiers"), ("boundary", "boundaries")],
    [("vehicle", "vehicles"), ("truck", "trucks"), ("lorry", "lorries")],
]
PERSON_NOUNS = ["resident", "shopkeeper", "teacher", "driver", "official", "volunteer", "engineer", "nurse"]
PEOPLE_GROUPS = [["residents", "locals", "inhabitants"], ["officials", "authorities"], ["experts", "specialists", "analysts"],
                 ["traders", "merchants", "shop owners"], ["families", "households"], ["volunteers", "helpers"]]  # fmt: skip
ADJ_GROUPS = [
    ["large", "big", "major"], ["new", "fresh", "novel"], ["old", "ageing", "aging"], ["small", "minor", "modest"],
    ["important", "significant", "key"], ["difficult", "hard", "tough"], ["local", "regional", "municipal"],
    ["public", "civic", "communal"], ["recent", "latest", "current"], ["serious", "grave", "severe"],
    ["costly", "expensive", "pricey"], ["quick", "rapid", "swift"], ["careful", "cautious", "prudent"],
    ["broad", "wide", "sweeping"], ["unusual", "rare", "uncommon"], ["clear", "plain", "obvious"],
    ["complex", "complicated", "intricate"], ["strong", "robust", "solid"], ["weak", "fragile", "frail"],
    ["popular", "well-liked", "favoured"], ["controversial", "contentious", "disputed"], ["modern", "contemporary", "up-to-date"],
    ["rural", "countryside", "provincial"], ["central", "main", "principal"], ["temporary", "interim", "provisional"],
]  # fmt: skip
# (base, past) synonym groups
VERB_GROUPS: list[list[tuple[str, str]]] = [
    [("review", "reviewed"), ("examine", "examined"), ("assess", "assessed")],
    [("support", "supported"), ("back", "backed"), ("endorse", "endorsed")],
    [("criticise", "criticised"), ("condemn", "condemned"), ("fault", "faulted")],
    [("change", "changed"), ("alter", "altered"), ("modify", "modified")],
    [("improve", "improved"), ("enhance", "enhanced"), ("upgrade", "upgraded")],
    [("reduce", "reduced"), ("cut", "cut back"), ("lower", "lowered")],
    [("expand", "expanded"), ("extend", "extended"), ("widen", "widened")],
    [("delay", "delayed"), ("postpone", "postponed"), ("hold up", "held up")],
    [("question", "questioned"), ("challenge", "challenged"), ("dispute", "disputed")],
    [("welcome", "welcomed"), ("praise", "praised"), ("applaud", "applauded")],
    [("shape", "shaped"), ("influence", "influenced"), ("affect", "affected")],
    [("fund", "funded"), ("finance", "financed"), ("pay for", "paid for")],
    [("protect", "protected"), ("defend", "defended"), ("shield", "shielded")],
    [("ignore", "ignored"), ("overlook", "overlooked"), ("neglect", "neglected")],
    [("discuss", "discussed"), ("debate", "debated"), ("consider", "considered")],
    [("monitor", "monitored"), ("watch", "watched"), ("track", "tracked")],
    [("plan", "planned"), ("prepare", "prepared"), ("organise", "organised")],
    [("replace", "replaced"), ("substitute", "substituted"), ("swap", "swapped")],
    [("test", "tested"), ("try", "tried"), ("trial", "trialled")],
    [("describe", "described"), ("depict", "depicted"), ("portray", "portrayed")],
    [("reject", "rejected"), ("refuse", "refused"), ("turn down", "turned down")],
    [("build", "built"), ("construct", "constructed"), ("erect", "erected")],
    [("strengthen", "strengthened"), ("reinforce", "reinforced"), ("bolster", "bolstered")],
    [("highlight", "highlighted"), ("stress", "stressed"), ("underline", "underlined")],
]
ADV_GROUPS = [["quickly", "rapidly", "swiftly"], ["quietly", "discreetly"], ["openly", "publicly"],
              ["largely", "mostly", "mainly"], ["repeatedly", "again and again"], ["slowly", "gradually"],
              ["strongly", "firmly"], ["briefly", "shortly"], ["carefully", "cautiously"]]  # fmt: skip
OPEN_GROUPS = [["Meanwhile", "In the meantime"], ["In recent months", "Over the past few months"],
               ["Earlier this year", "At the start of the year"], ["For years", "For a long time"],
               ["At the same time", "Simultaneously"], ["Last year", "A year ago"], ["Since then", "Ever since"],
               ["Even so", "Nonetheless", "Nevertheless"], ["In the past", "Previously"]]  # fmt: skip
TIME_GROUPS = [["last week", "the previous week"], ["in recent years", "over recent years"], ["this month", "in the current month"],
               ["after the election", "following the election"], ["before the winter", "ahead of the winter"],
               ["during the summer", "throughout the summer"], ["in the spring", "during the spring"]]  # fmt: skip

# Phrases a paraphraser swaps in fact sentences too (never names, numbers, dates or roles).
FUNCTION_GROUPS = [
    ["said", "stated", "noted"], ["told reporters", "told journalists"], ["more than", "over"],
    ["according to", "as reported by"], ["after", "following"], ["officials", "authorities"],
    ["estimated", "reckoned"], ["expected", "anticipated"], ["demanded", "called for"],
    ["situation", "state of affairs"], ["closely", "carefully"], ["scheduled", "set"],
    ["began", "started"], ["review", "examination"], ["damage", "harm"], ["roughly", "approximately"],
    ["about", "around"], ["hit", "struck"], ["worst", "most severe"], ["spread", "widened"],
    ["figures", "numbers"], ["due", "set"], ["support", "back"], ["involved", "included"],
    ["blamed", "held responsible"], ["triggered", "caused"], ["early", "initial"], ["show", "indicate"],
    ["answers", "explanations"], ["criticism", "condemnation"], ["ignored", "disregarded"],
    ["happened", "occurred"], ["similar", "comparable"], ["held", "staged"], ["visit", "travel to"],
    ["monitoring", "watching"], ["families", "relatives"], ["local", "regional"], ["the matter", "the issue"],
]  # fmt: skip

# House style edits a copying site makes without changing any fact.
STYLE_EDITS = [
    (" percent", " per cent"),
    ("organise", "organize"),
    ("neighbourhood", "neighborhood"),
    ("criticise", "criticize"),
    (" told reporters", " told the press"),
    (" on Monday", " Monday"),
    (" on Tuesday", " Tuesday"),
    (" on Wednesday", " Wednesday"),
    (" on Thursday", " Thursday"),
    (" on Friday", " Friday"),
]

UNSOURCED = [
    "Sources close to {org0} said the {topic} had been planned for months.",
    "{p0} is reported to have resigned over the {topic} late last night.",
    "Experts say the true number of {unit} affected is at least twice as high.",
    "Several {unit} are believed to have been arrested in connection with the {topic}.",
    "It is understood that {org1} had been warned in writing weeks earlier.",
    "The {topic} is widely seen as the biggest scandal in the history of {country}.",
    "Insiders claim {org0} tried to hide the scale of the {topic}.",
]
