"""AMAZON.Duration: a length of time as an ISO 8601 duration (``PnYnMnWnDTnHnMnS``).

As the developer guide's examples show: "ten minutes" is PT10M, "three days" P3D, "eight weeks"
P8W, "five hours ten minutes" PT5H10M, "two years three hours ten minutes" P2YT3H10M. Units are
read in each language ("30분", "2時間", "dos horas", "eine halbe Stunde"); a half ("half an hour",
"한 시간 반") adds half of its unit.
"""

from __future__ import annotations

import re
import unicodedata

from ..state import SlotValue
from .context import SlotContext, single
from .times import _digits

# Unit word -> ISO designator; "TM" is minutes (written after T), "M" months.
_UNITS: dict[str, str] = {
    "en": "years=Y|year=Y|yrs=Y|months=M|month=M|weeks=W|week=W|wks=W|days=D|day=D|hours=H|hour=H|hrs=H|"
    "hr=H|h=H|minutes=TM|minute=TM|mins=TM|min=TM|seconds=S|second=S|secs=S|sec=S",
    "ko": "년=Y|해=Y|개월=M|달=M|주일=W|주=W|일=D|시간=H|분=TM|초=S",
    "ja": "年間=Y|年=Y|ヶ月=M|か月=M|カ月=M|ケ月=M|箇月=M|週間=W|週=W|日間=D|日=D|時間=H|分間=TM|分=TM|"
    "秒間=S|秒=S",
    "es": "años=Y|año=Y|meses=M|mes=M|semanas=W|semana=W|días=D|dias=D|día=D|dia=D|horas=H|hora=H|"
    "minutos=TM|minuto=TM|segundos=S|segundo=S",
    "fr": "années=Y|année=Y|ans=Y|an=Y|mois=M|semaines=W|semaine=W|jours=D|jour=D|heures=H|heure=H|"
    "minutes=TM|minute=TM|secondes=S|seconde=S",
    "de": "jahre=Y|jahren=Y|jahr=Y|monate=M|monaten=M|monat=M|wochen=W|woche=W|tage=D|tagen=D|tag=D|"
    "stunden=H|stunde=H|minuten=TM|minute=TM|sekunden=S|sekunde=S",
    "it": "anni=Y|anno=Y|mesi=M|mese=M|settimane=W|settimana=W|giorni=D|giorno=D|ore=H|ora=H|minuti=TM|"
    "minuto=TM|secondi=S|secondo=S",
    "pt": "anos=Y|ano=Y|meses=M|mês=M|mes=M|semanas=W|semana=W|dias=D|dia=D|horas=H|hora=H|minutos=TM|"
    "minuto=TM|segundos=S|segundo=S",
}
# Words for one of a unit ("an hour", "une heure") and for half of one ("half an hour", "반").
_ONE = {"en": "an|a", "es": "un|una", "fr": "un|une", "de": "ein|eine|einen|einem", "it": "un|una|un'",
        "pt": "um|uma", "ko": "한", "ja": ""}  # fmt: skip
_HALF_BEFORE = {"en": "half an|half a", "es": "media", "fr": "une demi-|demi-", "de": "eine halbe|halbe",
                "it": "mezz'|mezza|mezzo", "pt": "meia", "ko": "", "ja": ""}  # fmt: skip
_HALF_AFTER = {"en": "and a half", "es": "y media|y medio", "fr": "et demie|et demi", "de": "einhalb",
               "it": "e mezza|e mezzo", "pt": "e meia|e meio", "ko": "반", "ja": "半"}  # fmt: skip
_KO_DAYS = {"일주일": "1주", "하루": "1일", "이틀": "2일", "사흘": "3일", "나흘": "4일", "닷새": "5일",
            "엿새": "6일", "이레": "7일", "열흘": "10일", "보름": "15일"}  # fmt: skip
_ORDER = ("Y", "M", "W", "D", "H", "TM", "S")
_SEPARATED = frozenset({"en", "es", "fr", "de", "it", "pt"})


def _units(language: str) -> dict[str, str]:
    return dict(item.split("=", 1) for item in _UNITS[language].split("|"))


def _alternatives(text: str) -> str:
    return "|".join(re.escape(item) for item in sorted(text.split("|"), key=len, reverse=True) if item)


def _format(amounts: dict[str, float]) -> str:
    def number(value: float) -> str:
        return str(int(value)) if float(value).is_integer() else f"{value:g}"

    date = "".join(f"{number(amounts[unit])}{unit}" for unit in _ORDER[:4] if unit in amounts)
    time = "".join(f"{number(amounts[unit])}{unit[-1]}" for unit in _ORDER[4:] if unit in amounts)
    return "P" + date + (f"T{time}" if time else "")


def parse_duration(text: str, language: str) -> str | None:
    """The duration an answer names, as ISO 8601 ("PT1H30M"), or None."""
    if language not in _UNITS:
        return None
    text = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    if not text or len(text) > 200:
        return None
    units = _units(language)
    unit_pattern = _alternatives("|".join(units))
    end = r"(?![\w])" if language in _SEPARATED else ""
    if language == "ko":
        for word, days in _KO_DAYS.items():
            text = text.replace(word, days)
    halves_before = _HALF_BEFORE[language]
    if halves_before:
        text = re.sub(rf"(?<!\w)(?:{_alternatives(halves_before)})\s*(?={unit_pattern}{end})", "0.5 ", text)
    if _ONE[language]:
        one = _alternatives(_ONE[language])
        text = re.sub(rf"(?<!\w)(?:{one})\s+(?=(?:{unit_pattern}){end})", "1 ", text)
    text = _digits(text, language)
    amounts: dict[str, float] = {}
    half_after = _alternatives(_HALF_AFTER[language])
    pattern = re.compile(rf"(\d+(?:[.,]\d+)?)\s*({unit_pattern}){end}(\s*(?:{half_after}))?")
    for match in pattern.finditer(text):
        unit = units[match.group(2)]
        value = float(match.group(1).replace(",", ".")) + (0.5 if match.group(3) else 0.0)
        amounts[unit] = amounts.get(unit, 0.0) + value
    if not amounts or all(value == 0 for value in amounts.values()):
        return None
    for unit, smaller, factor in (("W", "D", 7), ("D", "H", 24), ("H", "TM", 60), ("TM", "S", 60)):
        fraction = amounts.get(unit, 0.0) % 1
        if fraction:  # "half an hour" is PT30M, not PT0.5H
            amounts[unit] -= fraction
            amounts[smaller] = amounts.get(smaller, 0.0) + round(fraction * factor, 6)
            if not amounts[unit]:
                del amounts[unit]
    return _format(amounts)


def resolve_duration(text: str, context: SlotContext) -> SlotValue | None:
    value = parse_duration(text, context.language)
    return single(text.strip(), value) if value else None
