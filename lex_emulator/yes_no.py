"""Yes or no, as answers to a confirmation prompt, in Korean and English (both in every locale).

An answer counts when it is one of the known phrases ("네", "맞아요", "yes", "that's right",
"아니요", "nope", ...) or starts with one and says nothing of the other polarity ("yes it is",
"아니요 틀렸어요"). Anything else is neither, and Lex re-prompts.
"""

from __future__ import annotations

from enum import Enum

from .text import fold


class Answer(Enum):
    YES = "yes"
    NO = "no"


def _phrases(text: str) -> frozenset[str]:
    return frozenset(fold(phrase) for phrase in text.split("|"))


_YES = _phrases(
    "네|넵|넹|넴|예|옙|응|웅|어|ㅇ|ㅇㅇ|ㅇㅋ|맞아|맞아요|맞습니다|맞음|맞네요|맞지|맞죠|맞아용|그래|그래요|그럼|그럼요|"
    "그렇습니다|그렇죠|그렇지|좋아|좋아요|좋습니다|당연하죠|당연하지|물론|물론이죠|물론입니다|확인|오케이|예스|"
    "네 맞아요|네 맞습니다|응 맞아|예 맞습니다|"
    "yes|yeah|yea|ya|yep|yup|yes please|sure|sure thing|correct|right|that's right|that is right|"
    "that's correct|that is correct|it is|it's right|ok|okay|affirmative|absolutely|of course|indeed|"
    "exactly|definitely|certainly|y|you got it|sounds good|yes it is|yes that's right|true"
)
_NO = _phrases(
    "아니|아니요|아니오|아뇨|아니야|아니에요|아니예요|아닙니다|아닌데|아닌데요|아님|노|ㄴ|ㄴㄴ|싫어|싫어요|틀려|틀려요|"
    "틀렸어|틀렸어요|틀립니다|틀림|안돼|안 돼|안돼요|안 돼요|그렇지 않아요|아니 틀려|"
    "no|nope|nah|no way|not really|not at all|wrong|incorrect|negative|n|that's wrong|that is wrong|"
    "it isn't|it is not|that's not right|not correct|no thanks|no it isn't|false"
)
_YES_WORDS = frozenset(phrase for phrase in _YES if " " not in phrase)
_NO_WORDS = frozenset(phrase for phrase in _NO if " " not in phrase) | {
    "not",
    "isn't",
    "don't",
    "아니",
    "틀려요",
}


def classify_yes_no(text: str) -> Answer | None:
    """YES, NO, or None when the answer is neither (or both)."""
    folded = fold(text)
    if not folded:
        return None
    if folded in _YES:
        return Answer.YES
    if folded in _NO:
        return Answer.NO
    words = folded.split()
    first, rest = words[0], set(words[1:])
    if first in _YES_WORDS and not rest & _NO_WORDS:
        return Answer.YES
    if first in _NO_WORDS - {"not"} and not rest & (_YES_WORDS - {"it", "is", "right"}):
        return Answer.NO
    return None
