"""Time words per language, for `times`: noon and midnight, parts of the day, and the words that
make an hour morning or afternoon. Phrases are folded (lower case, as `text.fold` leaves them).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TimeWords:
    noon: tuple[str, ...]
    midnight: tuple[str, ...]
    periods: dict[str, str]  # a whole answer naming a part of the day -> AM/PM/MO/AF/EV/NI
    before_noon: tuple[str, ...]  # "10 in the morning"
    after_noon: tuple[str, ...]  # "3 in the afternoon"
    half: tuple[str, ...]  # ":30"
    quarter: tuple[str, ...]  # ":15"
    hour_marks: tuple[str, ...]  # "o'clock", "시", "時", "uhr", "heures", "h" ...
    filler: tuple[str, ...]  # "at", "a las", "um", "à", ...
    quarter_to: tuple[str, ...] = ()  # "quarter to four" is 3:45
    half_to: tuple[str, ...] = ()  # German "halb vier" is 3:30


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split("|")) if text else ()


def _periods(text: str) -> dict[str, str]:
    return dict(item.split("=", 1) for item in text.split("|"))


WORDS: dict[str, TimeWords] = {
    "en": TimeWords(
        noon=_split("noon|midday|twelve noon"),
        midnight=_split("midnight|twelve midnight"),
        periods=_periods(
            "morning=MO|in the morning=MO|afternoon=AF|in the afternoon=AF|evening=EV|"
            "in the evening=EV|night=NI|at night=NI|tonight=NI|am=AM|pm=PM"
        ),
        before_noon=_split("am|a m|in the morning|morning"),
        after_noon=_split("pm|p m|in the afternoon|afternoon|in the evening|evening|at night|tonight"),
        half=_split("half past|thirty"),
        quarter=_split("quarter past|quarter after"),
        quarter_to=_split("quarter to|quarter of|quarter till"),
        hour_marks=_split("o'clock|oclock|hours|hrs"),
        filler=_split("at|around|about|by|please|it's|its"),
    ),
    "ko": TimeWords(
        noon=_split("정오|낮 12시|낮 열두시"),
        midnight=_split("자정|밤 12시|밤 열두시"),
        periods=_periods("오전=AM|오후=PM|아침=MO|낮=AF|저녁=EV|밤=NI|새벽=MO"),
        before_noon=_split("오전|아침|새벽"),
        after_noon=_split("오후|저녁|밤|낮"),
        half=_split("반"),
        quarter=_split(""),
        hour_marks=_split("시"),
        filler=_split("에|쯤|정도|요|이요"),
    ),
    "ja": TimeWords(
        noon=_split("正午|お昼の12時|昼の12時"),
        midnight=_split("真夜中|夜中の12時|午前0時"),
        periods=_periods("午前=AM|午後=PM|朝=MO|昼=AF|夕方=EV|夜=NI"),
        before_noon=_split("午前|朝"),
        after_noon=_split("午後|夕方|夜"),
        half=_split("半"),
        quarter=_split(""),
        hour_marks=_split("時"),
        filler=_split("に|ごろ|頃|です|で"),
    ),
    "es": TimeWords(
        noon=_split("mediodía|mediodia|el mediodía"),
        midnight=_split("medianoche|la medianoche"),
        periods=_periods(
            "por la mañana=MO|la mañana=MO|mañana=MO|por la tarde=AF|la tarde=AF|tarde=AF|"
            "por la noche=NI|la noche=NI|noche=NI"
        ),
        before_noon=_split("de la mañana|por la mañana|am|a m"),
        after_noon=_split("de la tarde|por la tarde|de la noche|por la noche|pm|p m"),
        half=_split("y media"),
        quarter=_split("y cuarto"),
        quarter_to=_split("menos cuarto"),
        hour_marks=_split("en punto|horas|h"),
        filler=_split("a las|a la|las|la|sobre las|hacia las"),
    ),
    "fr": TimeWords(
        noon=_split("midi"),
        midnight=_split("minuit"),
        periods=_periods(
            "le matin=MO|matin=MO|l'après-midi=AF|après-midi=AF|le soir=EV|soir=EV|la nuit=NI|nuit=NI"
        ),
        before_noon=_split("du matin"),
        after_noon=_split("de l'après-midi|du soir|de la nuit"),
        half=_split("et demie"),
        quarter=_split("et quart"),
        quarter_to=_split("moins le quart|moins quart"),
        hour_marks=_split("heures|heure|h"),
        filler=_split("à|vers|a"),
    ),
    "de": TimeWords(
        noon=_split("mittag|mittags|zwölf uhr mittags"),
        midnight=_split("mitternacht"),
        periods=_periods(
            "morgens=MO|am morgen=MO|vormittags=MO|nachmittags=AF|am nachmittag=AF|"
            "abends=EV|am abend=EV|nachts=NI|in der nacht=NI"
        ),
        before_noon=_split("morgens|vormittags|am morgen|am vormittag"),
        after_noon=_split("nachmittags|abends|am nachmittag|am abend|nachts"),
        half=_split(""),
        quarter=_split("viertel nach"),
        quarter_to=_split("viertel vor"),
        half_to=_split("halb"),
        hour_marks=_split("uhr"),
        filler=_split("um|gegen|so um"),
    ),
    "it": TimeWords(
        noon=_split("mezzogiorno"),
        midnight=_split("mezzanotte"),
        periods=_periods(
            "di mattina=MO|mattina=MO|di pomeriggio=AF|pomeriggio=AF|di sera=EV|sera=EV|di notte=NI|notte=NI"
        ),
        before_noon=_split("di mattina|del mattino|della mattina"),
        after_noon=_split("del pomeriggio|di pomeriggio|di sera|della sera|di notte"),
        half=_split("e mezza|e mezzo"),
        quarter=_split("e un quarto"),
        quarter_to=_split("meno un quarto|meno un quarto alle"),
        hour_marks=_split("in punto"),
        filler=_split("alle|all'|le|verso le|per le"),
    ),
    "pt": TimeWords(
        noon=_split("meio-dia|meio dia"),
        midnight=_split("meia-noite|meia noite"),
        periods=_periods("de manhã=MO|manhã=MO|de tarde=AF|tarde=AF|à noite=NI|de noite=NI|noite=NI"),
        before_noon=_split("da manhã|de manhã"),
        after_noon=_split("da tarde|de tarde|da noite|à noite"),
        half=_split("e meia"),
        quarter=_split("e quinze|e um quarto"),
        quarter_to=_split("um quarto para|quinze para"),
        hour_marks=_split("horas|hora|h|em ponto"),
        filler=_split("às|as|à|a"),
    ),
}
