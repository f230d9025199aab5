"""Yes or no, as answers to a confirmation prompt, in each language the emulator understands.

An answer counts when it is one of the locale language's phrases ("네", "sí", "はい", "oui", "nope",
...) or starts with one and says nothing of the other polarity ("yes it is", "아니요 틀렸어요",
"はい、そうです"). Anything else is neither, and Lex re-prompts. Korean keeps the English phrases too
(Korean users often answer "ok" or "yes"), and every language takes "ok"/"okay". Without a locale
the Korean and English phrases are used, as before locales were known here.
"""

from __future__ import annotations

from enum import Enum

from .locales import language_of
from .text import fold


class Answer(Enum):
    YES = "yes"
    NO = "no"


def _phrases(text: str) -> frozenset[str]:
    return frozenset(fold(phrase) for phrase in text.split("|"))


_EN_YES = (
    "yes|yeah|yea|ya|yep|yup|yes please|sure|sure thing|correct|right|that's right|that is right|"
    "that's correct|that is correct|it is|it's right|ok|okay|affirmative|absolutely|of course|indeed|"
    "exactly|definitely|certainly|y|you got it|sounds good|yes it is|yes that's right|true"
)
_EN_NO = (
    "no|nope|nah|no way|not really|not at all|wrong|incorrect|negative|n|that's wrong|that is wrong|"
    "it isn't|it is not|that's not right|not correct|no thanks|no it isn't|false"
)
_KO_YES = (
    "네|넵|넹|넴|예|옙|응|웅|어|ㅇ|ㅇㅇ|ㅇㅋ|맞아|맞아요|맞습니다|맞음|맞네요|맞지|맞죠|맞아용|그래|그래요|그럼|그럼요|"
    "그렇습니다|그렇죠|그렇지|좋아|좋아요|좋습니다|당연하죠|당연하지|물론|물론이죠|물론입니다|확인|오케이|예스|"
    "네 맞아요|네 맞습니다|응 맞아|예 맞습니다"
)
_KO_NO = (
    "아니|아니요|아니오|아뇨|아니야|아니에요|아니예요|아닙니다|아닌데|아닌데요|아님|노|ㄴ|ㄴㄴ|싫어|싫어요|틀려|틀려요|"
    "틀렸어|틀렸어요|틀립니다|틀림|안돼|안 돼|안돼요|안 돼요|그렇지 않아요|아니 틀려"
)

# Per language: (yes phrases, no phrases), "|"-separated.
_LANGUAGE_PHRASES: dict[str, tuple[str, str]] = {
    "en": (_EN_YES, _EN_NO),
    "ko": (f"{_KO_YES}|{_EN_YES}", f"{_KO_NO}|{_EN_NO}"),
    "es": (
        "sí|si|claro|claro que sí|por supuesto|vale|de acuerdo|correcto|exacto|así es|eso es|afirmativo|"
        "sí señor|sí por favor|desde luego|cierto|ok|okay|dale|órale|sale|perfecto|está bien|sí es",
        "no|nop|para nada|de ninguna manera|ni hablar|incorrecto|negativo|no es así|no gracias|"
        "claro que no|no es correcto|en absoluto|nunca|falso|no es",
    ),
    "ja": (
        "はい|ええ|うん|そう|そうです|そうだよ|その通り|その通りです|そのとおりです|正解|正しい|正しいです|"
        "いいよ|いいです|いいですよ|大丈夫|大丈夫です|オーケー|オッケー|ok|okay|了解|了解です|もちろん|"
        "お願いします|はいそうです|合ってます|合っています",
        "いいえ|いや|いえ|ううん|違う|違います|ちがう|ちがいます|だめ|ダメ|だめです|結構です|"
        "そうじゃない|そうではありません|間違い|間違いです|いいえ違います|ノー",
    ),
    "fr": (
        "oui|ouais|ouaip|bien sûr|d'accord|exact|exactement|c'est ça|c'est exact|correct|tout à fait|"
        "absolument|affirmatif|volontiers|oui merci|ok|okay|parfait|si|oui c'est ça|c'est bien ça|"
        "certainement",
        "non|nan|pas du tout|pas vraiment|incorrect|négatif|c'est faux|faux|non merci|jamais|"
        "absolument pas|ce n'est pas ça|certainement pas",
    ),
    "de": (
        "ja|jawohl|jap|jo|klar|na klar|genau|richtig|stimmt|korrekt|sicher|natürlich|selbstverständlich|"
        "auf jeden fall|in ordnung|einverstanden|gerne|ja bitte|ok|okay|passt|doch|ja genau|das stimmt",
        "nein|nee|ne|nö|nope|falsch|auf keinen fall|nicht wirklich|keineswegs|stimmt nicht|das stimmt nicht|"
        "nein danke|niemals|gar nicht|überhaupt nicht|negativ",
    ),
    "it": (
        "sì|si|certo|certamente|esatto|esattamente|giusto|corretto|va bene|d'accordo|ok|okay|"
        "certo che sì|assolutamente|sicuro|volentieri|sì grazie|affermativo|proprio così|perfetto|è giusto",
        "no|no grazie|per niente|niente affatto|assolutamente no|sbagliato|non è giusto|non è corretto|"
        "negativo|mai|certo che no|nient'affatto|falso",
    ),
    "pt": (
        "sim|claro|claro que sim|com certeza|certo|correto|exato|exatamente|isso|isso mesmo|é isso|"
        "está certo|tá certo|pode ser|ok|okay|beleza|perfeito|afirmativo|sim obrigado|sim obrigada|"
        "de acordo|sem dúvida|é",
        "não|nao|de jeito nenhum|nem pensar|errado|incorreto|negativo|não obrigado|não obrigada|nunca|"
        "claro que não|não é isso|não está certo|de forma alguma|falso",
    ),
}

# Words that, after an answer's first word, say the answer is the other polarity ("yes and no").
_NEGATORS = {
    "en": "not|isn't|don't|no|wrong",
    "ko": "아니|틀려요|not|isn't|don't|no|wrong",
    "es": "no|incorrecto",
    "fr": "non|pas|faux",
    "de": "nein|nicht|falsch|kein",
    "it": "no|non|sbagliato",
    "pt": "não|nao|errado",
    "ja": "",
}
# Words that may follow a "no" without making it a yes ("no, it is Bob").
_NEUTRAL_AFTER_NO = {"it", "is", "right", "es", "est", "ist", "è", "é"}
# Languages written without spaces between words: a phrase may start the answer with no space after it.
_UNSPACED = frozenset({"ja"})


class _Phrases:
    def __init__(self, yes: str, no: str, negators: str) -> None:
        self.yes = _phrases(yes)
        self.no = _phrases(no)
        self.yes_words = frozenset(phrase for phrase in self.yes if " " not in phrase)
        self.no_words = frozenset(phrase for phrase in self.no if " " not in phrase) | (
            _phrases(negators) if negators else frozenset()
        )


_CACHE: dict[str, _Phrases] = {}


def _for_language(language: str | None) -> _Phrases:
    key = language or "*"
    if key not in _CACHE:
        if language is None:
            yes, no = _LANGUAGE_PHRASES["ko"]
            negators = _NEGATORS["ko"]
        else:
            yes, no = _LANGUAGE_PHRASES[language]
            negators = _NEGATORS[language]
        _CACHE[key] = _Phrases(yes, no, negators)
    return _CACHE[key]


def yes_no_languages() -> frozenset[str]:
    """The language codes with yes/no phrases."""
    return frozenset(_LANGUAGE_PHRASES)


def classify_yes_no(text: str, locale_id: str | None = None) -> Answer | None:
    """YES, NO, or None when the answer is neither (or both), in the locale's language."""
    language = language_of(locale_id) if locale_id else None
    if language is not None and language not in _LANGUAGE_PHRASES:
        return None  # the loader refuses such locales
    phrases = _for_language(language)
    folded = fold(text)
    if not folded:
        return None
    if folded in phrases.yes:
        return Answer.YES
    if folded in phrases.no:
        return Answer.NO
    if language in _UNSPACED:
        return _classify_unspaced(folded, phrases)
    words = folded.split()
    first, rest = words[0], set(words[1:])
    if first in phrases.yes_words and not rest & phrases.no_words:
        return Answer.YES
    if first in phrases.no_words - {"not", "pas", "nicht", "non"} and not rest & (
        phrases.yes_words - _NEUTRAL_AFTER_NO
    ):
        return Answer.NO
    return None


def _classify_unspaced(folded: str, phrases: _Phrases) -> Answer | None:
    """The longest yes or no phrase starting the answer decides, unless the other polarity follows."""
    compact = folded.replace(" ", "")
    best: tuple[int, Answer] | None = None
    for answer, group in ((Answer.YES, phrases.yes), (Answer.NO, phrases.no)):
        for phrase in group:
            phrase = phrase.replace(" ", "")
            if compact.startswith(phrase) and (best is None or len(phrase) > best[0]):
                best = (len(phrase), answer)
    if best is None:
        return None
    length, answer = best
    rest = compact[length:]
    opposite = phrases.no if answer is Answer.YES else phrases.yes
    if any(len(phrase) > 1 and phrase.replace(" ", "") in rest for phrase in opposite):
        return None
    return answer
