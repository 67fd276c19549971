"""Stopword lists, defined once: two named sets for two jobs (they are not nested).

- ``STOPWORDS`` (593 words): the most frequent function words (articles, pronouns,
  prepositions, auxiliaries, conjunctions) of English, German, French, Spanish, Italian,
  Portuguese, Dutch, Turkish, Russian and Urdu, short ones included, casefolded. Used by the
  index (sentence fingerprints, story terms) and by drift, where a sentence fingerprint must
  be made of content words; the story channel also down-weights frequent words by IDF.
- ``FEATURE_STOPWORDS`` (185 words): the high-frequency function words of the languages news
  is most often copied across, as removed from alignment's sentence features and from story
  similarity. Those stages drop words under three letters anyway, so this list mostly holds
  longer words; it keeps a few words ``STOPWORDS`` lacks ("upon", "whose", "much", "été").

Numbers are never stopwords. The two lists predate one another's stages and both feed pinned
outputs, so they are kept apart rather than merged (merging would change alignments).

>>> "the" in STOPWORDS and "the" in FEATURE_STOPWORDS, "upon" in STOPWORDS
(True, False)
"""

from __future__ import annotations

__all__ = ["FEATURE_STOPWORDS", "STOPWORDS"]


def _w(text: str) -> list[str]:
    return text.split()


_EN = _w("""a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for
from further had has have having he her here hers herself him himself his how i if in into is
it its itself just me more most my myself no nor not now of off on once only or other our ours
out over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which while
who whom why will with would you your yours yourself s t d ll m re ve don didn doesn isn wasn
aren weren won wouldn shouldn couldn hasn haven hadn said says say one two also new like
may might must shall us per via would""")
_DE = _w("""der die das den dem des ein eine einer eines einem einen und oder aber doch sondern
ist sind war waren wird werden wurde wurden hat haben hatte hatten sein seine seiner ihr ihre
ich du er sie es wir ihr mich dich sich uns euch mit von zu zum zur bei nach aus auf für über
unter vor hinter neben zwischen durch gegen ohne um als wie wenn dass daß so auch noch nur
schon nicht kein keine im am vom ins ans an in man dieser diese dieses jener welche""")
_FR = _w("""le la les un une des du de d l et ou mais donc or ni car est sont était étaient sera
a ont avait il elle ils elles on nous vous je tu me te se lui leur leurs son sa ses mon ma mes
ce cet cette ces qui que quoi dont où dans sur sous avec pour par sans chez entre vers au aux
ne pas plus moins très aussi comme si qu""")
_ES = _w("""el la los las un una unos unas y o pero ni que de del al a en con por para sin sobre
entre es son era eran fue fueron ser está están ha han había se lo le les su sus mi mis tu
este esta estos estas ese esa eso como más muy también ya no sí cuando donde""")
_IT = _w("""il lo la i gli le un uno una e o ma di da in con su per tra fra del della dei delle
al alla ai alle è sono era erano ha hanno che chi non si come anche più""")
_PT = _w("""o a os as um uma uns umas e ou mas de do da dos das em no na nos nas por para com sem
é são era foi ser está ele ela eles elas que se não mais como também ao aos""")
_NL = _w("""de het een en of maar van in op te met voor door bij naar uit is zijn was waren wordt
worden heeft hebben hij zij ze wij we ik je u dat die dit deze niet ook als om er""")
_TR = _w("""ve veya ile bir bu şu o da de ki mi mu mı mü için gibi kadar daha en çok ama fakat
ancak ise olan olarak olduğu ne her hem değil var yok sonra önce göre ben sen biz siz onlar
bunu şunu onu bunun onun""")
_RU = _w("""и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по
только ее мне было вот от меня еще нет о из ему теперь когда даже ну ли если уже или ни быть
был была были него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где
есть надо ней для мы тебя их чем это этот эта эти""")
_UR = _w("""کے کا کی کو میں سے نے ہے ہیں تھا تھی تھے اور یا پر بھی کہ یہ وہ اس ان ایک جو تو
ہو گا گی گے رہا رہی رہے کر کیا کی لیے لئے نہیں ہی تک جب""")

STOPWORDS: frozenset[str] = frozenset(
    w.casefold() for lst in (_EN, _DE, _FR, _ES, _IT, _PT, _NL, _TR, _RU, _UR) for w in lst
)

FEATURE_STOPWORDS: frozenset[str] = frozenset(
    _w("""
the and for that with this from have has had was were are been will would could should not but
its their they them there than then what when where which who whom whose why how also into over
under about after before more most some such only other any all can may said says his her hers
him our ours your yours you she one two very just being does did those these here while during
between against because until upon each both few much der die das und ist nicht ein eine einer
eines einem einen mit von dem den des auf für sich auch als wie bei nach aus wird werden hat
haben sind war oder aber noch nur dass les des une est dans pour qui que sur pas par avec plus
sont ont été aux ces leur los las del por con una para que como más pero sus fue son está bir
ile için olarak daha çok gibi kadar sonra ancak ama veya değil olan اور کے کی کا میں سے کو نے
ہے ہیں تھا تھی پر بھی یہ وہ""")
)
