"""Word lists of the support check: function words, negators and common English words.

``COMMON_WORDS`` is what lets lower-cased, tokenised text be checked for names: a word the
source never uses is read as a name unless it is a common word (a noun, verb or adjective a
summary may well bring in by itself). The list is short and hand-written: a sentence-opening
common word is not a name, and a rare word absent from the source is suspicious either way.
"""

from __future__ import annotations

from pathlib import Path

from ..text.stopwords import STOPWORDS as TEXT_STOPWORDS


def _w(text: str) -> frozenset[str]:
    return frozenset(text.split())


NEGATORS = _w("not n't no never none nobody nothing neither nor cannot without")

DATE_WORDS = _w(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday
    """
)

#: the words the support check ignores: the one stopword list (text/stopwords.py) plus what
#: tokenised and news text adds: clitics split off by tokenisers ("n't", "'s", "ll"), bracket
#: tokens of tokenised text ("-lrb-", "-rrb-"), honorifics and reporting verbs
STOPWORDS = TEXT_STOPWORDS | _w(
    """
    s t d ll m re ve n't 's lrb rrb mr mrs ms dr st said says say told tells
    """
)


def _listed() -> frozenset[str]:
    path = Path(__file__).with_name("support_common.txt")
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w for w in lines if w and not w.startswith("#"))


COMMON_WORDS = (
    STOPWORDS
    | _listed()
    | _w(
        """
    according accused action added adding administration affected after afternoon age agency
    ago agreed agreement aid air airport alleged allowed already although among amount animal
    announced annual another anyone appeal appeared area areas army arrested around arrived asked
    attack attacked attempt attention authorities available average award away baby back bad
    ball ban bank based battle became become began behind believe believed best better big bill
    billion black blue board body book born boss boy boys brother brought building built business
    called came campaign cancer car care career case cases caught cause caused centre century
    chairman champion championship chance change charge charged charges chief child children
    church city claim claimed claims class close club coach college come comes coming comment
    community company concern concerns condition confirmed conference council country countries
    county couple court crash crime crisis critical cup current currently customers daughter day
    days dead deal death deaths decided decision defeat defence department described despite
    died director disease doctor doctors dog due early earlier east economic economy election
    emergency end energy england european event events evidence expected face facing fact family
    fans father federal feel final finally financial find fire first five floor following food
    football force forced forces foreign former found four free friday friend friends front full
    fund game games girl girls give given giving global goal goals good government great ground
    group groups growth half hand hands happened head health heard held help high hit hold home
    hospital hours house however human husband important including increase industry information
    injured injuries injury inquiry inside instead international investigation involved issue
    issues job jobs judge keep key kill killed killing kind known lack land large last late later
    latest law lead leader leaders league least leave led left legal less life likely line list
    little live lives living local long look looking lost lot low made major make making man
    manager many market match matter mayor meeting member members men message military million
    minister minutes missing money month months morning mother move movement much murder music
    name named national near nearly need needed never news next night north number offer office
    officer officers official officials old open operation opposition order outside overall
    paid parents park part parties party past patients pay peace people per percent period person
    phone place plan plans play played player players playing police policy political poor
    popular position possible power president press pressure previous prime prison private
    problem problems programme project public published put question race received recent
    recently record released report reported reports research result results return revealed
    right risk road role rose rule run running safety saw school schools season second security
    see seen sent series service services set several share shot show showed shows side since
    single site six small social son south spokesman spokeswoman sport staff start started state
    statement states still stop story street student students study success suffered summer
    support supporters system taken taking talks team teams television term test thought thousands
    three time times today together took top total town trade trial trip true trying two union
    university use used value victims video view violence vote war watch water way week weekend
    weeks well went west white whether whole wife win winning woman women won work worked workers
    working world year years yesterday young youth
    """
    )
)
