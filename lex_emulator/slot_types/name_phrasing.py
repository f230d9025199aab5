"""The phrasings around a name in Spanish, French, German, Italian, Portuguese and Japanese, and
around a last name in every language ("me llamo Ana", "je m'appelle Luc", "私の名前は田中です",
"my last name is Lee", "제 성은 김입니다"), for `first_name` and `last_name`.
"""

from __future__ import annotations

import re

_FIRST_PREFIXES = {
    "es": r"(?:hola[\s,!.]+)?(?:me llamo|mi nombre es|soy|llámame|llamame|mi nombre de pila es)\s+",
    "fr": r"(?:bonjour[\s,!.]+)?(?:je m'appelle|je m appelle|mon prénom est|mon nom est|moi c'est|je suis|"
    r"appelez-moi|c'est)\s+",
    "de": r"(?:hallo[\s,!.]+)?(?:ich heiße|ich heisse|mein name ist|mein vorname ist|ich bin|nenn mich)\s+",
    "it": r"(?:ciao[\s,!.]+)?(?:mi chiamo|il mio nome è|il mio nome e|sono|chiamami)\s+",
    "pt": r"(?:olá[\s,!.]+|ola[\s,!.]+)?(?:me chamo|meu nome é|meu nome e|eu sou|sou|pode me chamar de)\s+",
    "ja": r"(?:こんにちは[、,\s]*)?(?:私の名前は|わたしの名前は|名前は|私は|わたしは|僕は|ぼくは)\s*",
}
_LAST_PREFIXES = {
    "en": r"(?:my\s+)?(?:last\s+name|surname|family\s+name)(?:\s+is|'s)\s+|it's\s+|it\s+is\s+",
    "ko": r"(?:제|내|저의)?\s*(?:성은|성이|성씨는)\s*",
    "es": r"(?:mi\s+)?apellido\s+es\s+|(?:mis\s+)?apellidos\s+son\s+",
    "fr": r"(?:mon\s+)?nom\s+(?:de\s+famille\s+)?est\s+|c'est\s+",
    "de": r"(?:mein\s+)?(?:nachname|familienname)\s+ist\s+",
    "it": r"(?:il\s+mio\s+)?cognome\s+è\s+|(?:il\s+mio\s+)?cognome\s+e\s+",
    "pt": r"(?:meu\s+)?(?:sobrenome|apelido)\s+é\s+|(?:meu\s+)?sobrenome\s+e\s+",
    "ja": r"(?:私の)?(?:苗字|名字|姓)は\s*",
}
_SUFFIXES = {
    "ko": r"(?:(?:이)?라고\s*(?:합니다|해요)|입니다|이에요|예요|이요|씨|가|요)$",
    "ja": r"(?:と申します|といいます|と言います|です|だよ|だ|さん)$",
}
_EDGES = " \t\r\n.,!?~…\"'“”‘’()[]「」『』:;、。"
_WORD = re.compile(r"^[^\W\d_]+(?:['-][^\W\d_]+)*$")


def strip_name_phrasing(text: str, language: str, *, last: bool = False) -> str:
    """The answer with the language's "my name is ..." phrasing around the name removed."""
    prefixes = _LAST_PREFIXES if last else _FIRST_PREFIXES
    text = text.strip(_EDGES)
    pattern = prefixes.get(language)
    if pattern:
        text = re.sub(rf"^(?:{pattern})", "", text, count=1, flags=re.IGNORECASE).strip(_EDGES)
    suffix = _SUFFIXES.get(language)
    if suffix:
        stripped = re.sub(suffix, "", text, count=1).strip(_EDGES)
        text = stripped or text
    return " ".join(text.split())


def looks_like_a_name(candidate: str, language: str) -> bool:
    """One to three words of letters (a short one in Korean or Japanese), nothing else."""
    words = candidate.split()
    if not words or len(candidate) > 40 or any(not _WORD.match(word) for word in words):
        return False
    if language in ("ko", "ja"):
        return len(words) <= 2 and all(len(word) <= 6 for word in words)
    return len(words) <= 3
