"""AMAZON.Confirmation: "Yes", "No", "Maybe" or "Don't know", from the phrases of the locale's language.

The developer guide names the four values and gives phrasings of each ("Perhaps", "Dunno", "No idea",
...). Maybe and don't-know phrases are looked for first ("no idea" is not a no); yes and no are the
locale's yes/no phrases (`yes_no`).
"""

from __future__ import annotations

from ..state import SlotValue
from ..text import fold
from ..yes_no import Answer, classify_yes_no
from .context import SlotContext, single

YES, NO, MAYBE, DONT_KNOW = "Yes", "No", "Maybe", "Don't know"

_MAYBE = {
    "en": "maybe|perhaps|possibly|it's possible|it is possible|might be|i might|could be|that could be right|"
    "sometimes|probably|not sure yet|kind of|sort of|we'll see",
    "ko": "아마|아마도|아마요|글쎄|글쎄요|어쩌면|그럴 수도|그럴지도|그럴 수도 있어요|아마 그럴 거예요|혹시|"
    "maybe|perhaps",
    "ja": "たぶん|多分|かもしれない|かもしれません|おそらく|もしかしたら|ひょっとしたら|まあまあ",
    "es": "quizás|quizá|quizas|tal vez|a lo mejor|puede ser|posiblemente|probablemente|puede que sí",
    "fr": "peut-être|peut être|possible|c'est possible|probablement|éventuellement|ça se peut",
    "de": "vielleicht|eventuell|möglicherweise|wahrscheinlich|kann sein|mag sein|könnte sein",
    "it": "forse|magari|può darsi|probabilmente|potrebbe essere|chissà se",
    "pt": "talvez|pode ser|possivelmente|provavelmente|quem sabe se",
}
_DONT_KNOW = {
    "en": "i don't know|i dont know|don't know|dont know|dunno|i dunno|no idea|i have no idea|not sure|"
    "i'm not sure|unknown|who knows|no clue|beats me|can't say|idk",
    "ko": "몰라|몰라요|모르겠어|모르겠어요|모르겠습니다|모름|잘 모르겠어요|글쎄 모르겠어요|알 수 없어요|"
    "i don't know|dunno",
    "ja": "わからない|分からない|わかりません|分かりません|知らない|知りません|さあ|不明",
    "es": "no sé|no se|no lo sé|no lo se|ni idea|no tengo idea|quién sabe|quien sabe|no estoy seguro|"
    "no estoy segura|desconocido",
    "fr": "je ne sais pas|je sais pas|sais pas|aucune idée|j'en sais rien|qui sait|pas sûr|pas sûre|inconnu",
    "de": "weiß nicht|weiss nicht|ich weiß nicht|ich weiss nicht|keine ahnung|wer weiß|nicht sicher|"
    "unbekannt",
    "it": "non lo so|non so|boh|nessuna idea|chi lo sa|non sono sicuro|non sono sicura|sconosciuto",
    "pt": "não sei|nao sei|sei lá|sei la|não faço ideia|nao faco ideia|quem sabe|não tenho certeza|"
    "desconhecido",
}


def _matches(folded: str, phrases: str) -> bool:
    padded = f" {folded} "
    return any(f" {fold(phrase)} " in padded or folded == fold(phrase) for phrase in phrases.split("|"))


def classify_confirmation(text: str, locale_id: str, language: str) -> str | None:
    folded = fold(text)
    if not folded:
        return None
    compact = language in ("ja",)
    for value, table in ((DONT_KNOW, _DONT_KNOW), (MAYBE, _MAYBE)):
        phrases = table.get(language, "")
        if compact and any(fold(phrase) in folded for phrase in phrases.split("|")):
            return value
        if not compact and _matches(folded, phrases):
            return value
    answer = classify_yes_no(text, locale_id)
    if answer is Answer.YES:
        return YES
    if answer is Answer.NO:
        return NO
    return None


def resolve_confirmation(text: str, context: SlotContext) -> SlotValue | None:
    value = classify_confirmation(text, context.locale_id, context.language)
    return single(text.strip(), value) if value else None
