"""AMAZON.FirstName: take a first name out of an answer such as "제 이름은 민수입니다" or "I'm Ann".

Lex's built-in type is a trained model; this is a rule-based stand-in that accepts a short name
(one to three words of letters) after removing the usual phrasings in Korean and English ("제 이름은",
"저는", "내 이름은", "입니다", "이에요", "예요", "이야", "my name is", "I'm", "call me", ...). It refuses
what is plainly not a name: questions, digits, sentences, yes/no words and greetings.
"""

from __future__ import annotations

import re
import unicodedata

from ..state import SlotValue
from ..text import is_hangul
from .context import SlotContext, single

_EN_PREFIX = re.compile(
    r"^(?:(?:hello|hi|hey|hiya|greetings)[\s,!.]+)?"
    r"(?:my\s+(?:first\s+)?name\s+is|my\s+name's|the\s+name\s+is|the\s+name's|name's|name\s+is|"
    r"i\s+am|i'm|im|it's|it\s+is|this\s+is|(?:you\s+can\s+|they\s+|people\s+|just\s+)?call\s+me)\s+",
    re.IGNORECASE,
)
_EN_SUFFIX = re.compile(r"\s+(?:here|please|thanks|thank\s+you)$", re.IGNORECASE)
_KO_PREFIX = re.compile(
    r"^(?:(?:안녕하세요|안녕|반갑습니다|반가워요)[\s,!.]*)?"
    r"(?:(?:제|내|나의|저의)\s*이름은|(?:제|내)\s*이름이|이름은|저는|나는|전|난)\s*"
)
_KO_SUFFIX = re.compile(
    r"(?:(?:이)?라고\s*(?:합니다|해요|해|불러\s*주세요|부릅니다)|입니다|이에요|예요|이야|이요|씨|님|야|(?<![세어아해])요)$"
)
_WORD = re.compile(r"^[^\W\d_]+(?:['-][^\W\d_]+)*$")


def _phrases(text: str) -> frozenset[str]:
    """A word list written as one "a|b|c" string."""
    return frozenset(text.split("|"))


_EDGE_PUNCTUATION = " \t\n\r.,!~…\"'“”‘’()[]「」『』:;"

# Whole answers that are not names (compared case-folded): yes/no, greetings, refusals.
_NOT_NAMES = _phrases(
    "yes|yeah|yep|yup|no|nope|nah|ok|okay|sure|right|wrong|네|예|응|아니|아니요|아뇨|아니오|맞아|맞아요|"
    "그래|ㅇㅇ|ㄴㄴ|hello|hi|hey|hello lex|hi lex|hey lex|thanks|thank you|안녕|안녕하세요|반가워요|"
    "반갑습니다|하이|헬로|감사합니다|고마워요|nothing|none|nobody|no one|secret|idk|i don't know|dunno|"
    "whatever|몰라|몰라요|모르겠어요|모르겠습니다|비밀|싫어|싫어요|없어|없어요|나|저"
)
_QUESTION_OR_FUNCTION_WORDS = _phrases(
    "what|why|how|who|where|when|which|whose|the|is|are|was|a|an|of|to|in|for|and|or|do|does|did|"
    "can|could|would|should|will|you|your|me|my|it|this|that|not|don't|please|뭐|무엇|무슨|왜|어떻게|"
    "누구|언제|어디|어느|얼마"
)
# Endings that make a Korean word a predicate ("알려줘", "합니다", "할까") rather than a name.
_KO_PREDICATE_ENDINGS = ("다", "까", "줘", "해", "죠", "니", "래", "라", "고", "군", "네요", "세요", "어요")
_KO_QUESTION_STEMS = ("뭐", "무엇", "무슨", "누구", "왜", "어디", "언제", "어떻게", "얼마")


def _strip_edges(text: str) -> str:
    return text.strip(_EDGE_PUNCTUATION)


def _strip_phrasing(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = _strip_edges(text)
        for prefix in (_EN_PREFIX, _KO_PREFIX):
            stripped = prefix.sub("", text, count=1)
            if stripped and stripped != text:
                text = stripped
        stripped = _EN_SUFFIX.sub("", text, count=1)
        if stripped:
            text = stripped
        if text and is_hangul(text[-1]):
            stripped = _KO_SUFFIX.sub("", text, count=1).rstrip()
            if stripped and is_hangul(stripped[-1]):
                text = stripped
    return _strip_edges(text)


def _looks_like_name(candidate: str) -> bool:
    words = candidate.split()
    if not words or len(candidate) > 40 or candidate.casefold() in _NOT_NAMES:
        return False
    if any(not _WORD.match(word) for word in words):
        return False
    if any(word.casefold() in _QUESTION_OR_FUNCTION_WORDS for word in words):
        return False
    if any(is_hangul(char) for char in candidate):
        if len(words) > 2 or any(len(word) > 5 for word in words):
            return False
        return not words[-1].endswith(_KO_PREDICATE_ENDINGS) and not words[0].startswith(_KO_QUESTION_STEMS)
    return len(words) <= 3


def extract_first_name(text: str) -> str | None:
    """The first name in an answer, as the user spelled it, or None when the answer is not a name."""
    text = unicodedata.normalize("NFKC", text).strip()
    if not text or "?" in text or any(char.isdigit() for char in text):
        return None
    candidate = " ".join(_strip_phrasing(text).split())
    return candidate if _looks_like_name(candidate) else None


def resolve_first_name(text: str, context: SlotContext) -> SlotValue | None:
    if context.language in ("en", "ko"):
        name = extract_first_name(text)
    else:
        from ..yes_no import classify_yes_no
        from .name_phrasing import looks_like_a_name, strip_name_phrasing

        text = unicodedata.normalize("NFKC", text)
        candidate = strip_name_phrasing(text, context.language)
        known_answer = classify_yes_no(candidate, context.locale_id) is not None
        name = candidate if looks_like_a_name(candidate, context.language) and not known_answer else None
    return single(name, name) if name else None
