"""Relative date words per language, for `dates`: days from today, weekdays, and this/next/last
week, month and year. Phrases are written folded (lower case, as `text.fold` leaves them).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DateWords:
    days: dict[str, int]  # phrase -> days from today
    weekdays: tuple[tuple[str, ...], ...]  # Monday first
    next_markers: tuple[str, ...]  # "next friday": the weekday of next week
    weeks: dict[str, int]  # phrase -> weeks from this one
    months: dict[str, int]
    years: dict[str, int]


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


def _table(text: str) -> dict[str, int]:
    """ "a=1|b=2" -> {"a": 1, "b": 2}."""
    pairs = (item.rsplit("=", 1) for item in text.split("|"))
    return {phrase: int(value) for phrase, value in pairs}


WORDS: dict[str, DateWords] = {
    "en": DateWords(
        days=_table(
            "today=0|tonight=0|now=0|tomorrow=1|the day after tomorrow=2|day after tomorrow=2|"
            "yesterday=-1|the day before yesterday=-2|day before yesterday=-2"
        ),
        weekdays=(
            _split("monday|mon"),
            _split("tuesday|tue|tues"),
            _split("wednesday|wed"),
            _split("thursday|thu|thur|thurs"),
            _split("friday|fri"),
            _split("saturday|sat"),
            _split("sunday|sun"),
        ),
        next_markers=_split("next|following"),
        weeks=_table("this week=0|next week=1|the following week=1|last week=-1|the week after next=2"),
        months=_table("this month=0|next month=1|last month=-1"),
        years=_table("this year=0|next year=1|last year=-1"),
    ),
    "ko": DateWords(
        days=_table("오늘=0|지금=0|내일=1|모레=2|내일모레=2|글피=3|어제=-1|그제=-2|그저께=-2"),
        weekdays=(
            _split("월요일|월욜"),
            _split("화요일|화욜"),
            _split("수요일|수욜"),
            _split("목요일|목욜"),
            _split("금요일|금욜"),
            _split("토요일|토욜"),
            _split("일요일|일욜"),
        ),
        next_markers=_split("다음주|담주|차주|다음"),
        weeks=_table("이번주=0|금주=0|다음주=1|담주=1|차주=1|지난주=-1|저번주=-1|다다음주=2"),
        months=_table("이번달=0|다음달=1|담달=1|지난달=-1|저번달=-1"),
        years=_table("올해=0|금년=0|내년=1|작년=-1|지난해=-1"),
    ),
    "ja": DateWords(
        days=_table(
            "今日=0|きょう=0|明日=1|あした=1|あす=1|明後日=2|あさって=2|昨日=-1|きのう=-1|"
            "一昨日=-2|おととい=-2"
        ),
        weekdays=(
            _split("月曜日|月曜"),
            _split("火曜日|火曜"),
            _split("水曜日|水曜"),
            _split("木曜日|木曜"),
            _split("金曜日|金曜"),
            _split("土曜日|土曜"),
            _split("日曜日|日曜"),
        ),
        next_markers=_split("来週|次の"),
        weeks=_table("今週=0|来週=1|先週=-1|再来週=2"),
        months=_table("今月=0|来月=1|先月=-1|再来月=2"),
        years=_table("今年=0|来年=1|去年=-1|昨年=-1|再来年=2"),
    ),
    "es": DateWords(
        days=_table("hoy=0|mañana=1|pasado mañana=2|ayer=-1|anteayer=-2|antes de ayer=-2|antier=-2"),
        weekdays=(
            _split("lunes"),
            _split("martes"),
            _split("miércoles|miercoles"),
            _split("jueves"),
            _split("viernes"),
            _split("sábado|sabado"),
            _split("domingo"),
        ),
        next_markers=_split("próximo|proximo|próxima|proxima|que viene|siguiente"),
        weeks=_table(
            "esta semana=0|la semana que viene=1|semana que viene=1|la próxima semana=1|"
            "próxima semana=1|proxima semana=1|la semana pasada=-1|semana pasada=-1"
        ),
        months=_table(
            "este mes=0|el mes que viene=1|mes que viene=1|el próximo mes=1|próximo mes=1|"
            "proximo mes=1|el mes pasado=-1|mes pasado=-1"
        ),
        years=_table(
            "este año=0|el año que viene=1|año que viene=1|el próximo año=1|próximo año=1|"
            "el año pasado=-1|año pasado=-1"
        ),
    ),
    "fr": DateWords(
        days=_table("aujourd'hui=0|demain=1|après-demain=2|apres-demain=2|hier=-1|avant-hier=-2"),
        weekdays=(
            _split("lundi"),
            _split("mardi"),
            _split("mercredi"),
            _split("jeudi"),
            _split("vendredi"),
            _split("samedi"),
            _split("dimanche"),
        ),
        next_markers=_split("prochain|prochaine|suivant|suivante"),
        weeks=_table(
            "cette semaine=0|la semaine prochaine=1|semaine prochaine=1|la semaine dernière=-1|"
            "semaine dernière=-1"
        ),
        months=_table(
            "ce mois-ci=0|ce mois=0|le mois prochain=1|mois prochain=1|le mois dernier=-1|mois dernier=-1"
        ),
        years=_table(
            "cette année=0|l'année prochaine=1|année prochaine=1|l'année dernière=-1|année dernière=-1"
        ),
    ),
    "de": DateWords(
        days=_table("heute=0|morgen=1|übermorgen=2|gestern=-1|vorgestern=-2"),
        weekdays=(
            _split("montag"),
            _split("dienstag"),
            _split("mittwoch"),
            _split("donnerstag"),
            _split("freitag"),
            _split("samstag|sonnabend"),
            _split("sonntag"),
        ),
        next_markers=_split("nächsten|nächste|nächster|kommenden|kommende"),
        weeks=_table("diese woche=0|nächste woche=1|kommende woche=1|letzte woche=-1|übernächste woche=2"),
        months=_table("diesen monat=0|nächsten monat=1|nächster monat=1|letzten monat=-1"),
        years=_table("dieses jahr=0|nächstes jahr=1|nächstes jahr=1|letztes jahr=-1"),
    ),
    "it": DateWords(
        days=_table("oggi=0|domani=1|dopodomani=2|ieri=-1|l'altro ieri=-2|altroieri=-2|l'altroieri=-2"),
        weekdays=(
            _split("lunedì|lunedi"),
            _split("martedì|martedi"),
            _split("mercoledì|mercoledi"),
            _split("giovedì|giovedi"),
            _split("venerdì|venerdi"),
            _split("sabato"),
            _split("domenica"),
        ),
        next_markers=_split("prossimo|prossima"),
        weeks=_table(
            "questa settimana=0|la prossima settimana=1|prossima settimana=1|settimana prossima=1|"
            "la settimana scorsa=-1|settimana scorsa=-1"
        ),
        months=_table(
            "questo mese=0|il prossimo mese=1|prossimo mese=1|mese prossimo=1|il mese scorso=-1|"
            "mese scorso=-1"
        ),
        years=_table(
            "quest'anno=0|l'anno prossimo=1|anno prossimo=1|il prossimo anno=1|l'anno scorso=-1|"
            "anno scorso=-1"
        ),
    ),
    "pt": DateWords(
        days=_table("hoje=0|amanhã=1|amanha=1|depois de amanhã=2|depois de amanha=2|ontem=-1|anteontem=-2"),
        weekdays=(
            _split("segunda-feira|segunda"),
            _split("terça-feira|terça|terca"),
            _split("quarta-feira|quarta"),
            _split("quinta-feira|quinta"),
            _split("sexta-feira|sexta"),
            _split("sábado|sabado"),
            _split("domingo"),
        ),
        next_markers=_split("próximo|próxima|proximo|proxima|que vem"),
        weeks=_table(
            "esta semana=0|a próxima semana=1|próxima semana=1|semana que vem=1|"
            "a semana passada=-1|semana passada=-1"
        ),
        months=_table(
            "este mês=0|o próximo mês=1|próximo mês=1|mês que vem=1|o mês passado=-1|mês passado=-1"
        ),
        years=_table(
            "este ano=0|o próximo ano=1|próximo ano=1|ano que vem=1|o ano passado=-1|ano passado=-1"
        ),
    ),
}
