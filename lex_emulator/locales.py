"""The locales Lex V2 offers, and which of them the emulator understands (yes/no, numbers, dates, slots).

Lex V2's list is the one in the developer guide's "Languages and locales supported by Amazon Lex V2"
page. The emulator understands a locale when it has yes/no phrases, number words and date words for
its language (`LANGUAGES`); a bot with any other locale is refused at load, because a Spanish bot
whose emulator took "sí" for nonsense would pass every local test and then behave differently on Lex.
"""

from __future__ import annotations

# Locale id -> language and region, as the Lex V2 developer guide lists them.
LEX_V2_LOCALES: dict[str, str] = {
    "af_ZA": "Afrikaans (South Africa)",
    "ar_AE": "Gulf Arabic (United Arab Emirates)",
    "ar_SA": "Arabic (Saudi Arabia)",
    "bg_BG": "Bulgarian (Bulgaria)",
    "ca_ES": "Catalan (Spain)",
    "cs_CZ": "Czech (Czech Republic)",
    "cy_GB": "Welsh (United Kingdom)",
    "da_DK": "Danish (Denmark)",
    "de_AT": "German (Austria)",
    "de_CH": "German (Switzerland)",
    "de_DE": "German (Germany)",
    "en_AB": "English (Scotland)",
    "en_AU": "English (Australia)",
    "en_GB": "English (UK)",
    "en_IE": "English (Ireland)",
    "en_IN": "English (India)",
    "en_NZ": "English (New Zealand)",
    "en_US": "English (US)",
    "en_WL": "English (Wales)",
    "en_ZA": "English (South Africa)",
    "es_419": "Spanish (Latin America)",
    "es_ES": "Spanish (Spain)",
    "es_MX": "Spanish (Mexico)",
    "es_US": "Spanish (US)",
    "et_ET": "Estonian (Estonia)",
    "fa_IR": "Farsi (Iran)",
    "fi_FI": "Finnish (Finland)",
    "fr_BE": "French (Belgium)",
    "fr_CA": "French (Canada)",
    "fr_FR": "French (France)",
    "he_IL": "Hebrew (Israel)",
    "hi_IN": "Hindi (India)",
    "hr_HR": "Croatian (Croatia)",
    "hu_HU": "Hungarian (Hungary)",
    "id_ID": "Indonesian (Indonesia)",
    "is_IS": "Icelandic (Iceland)",
    "it_IT": "Italian (Italy)",
    "ja_JP": "Japanese (Japan)",
    "km_KH": "Khmer (Cambodia)",
    "ko_KR": "Korean (Korea)",
    "lt_LT": "Lithuanian (Lithuania)",
    "lv_LV": "Latvian (Latvia)",
    "ms_MY": "Malay (Malaysia)",
    "nl_BE": "Dutch (Belgium)",
    "nl_NL": "Dutch (The Netherlands)",
    "no_NO": "Norwegian (Norway)",
    "pl_PL": "Polish (Poland)",
    "pt_BR": "Portuguese (Brazil)",
    "pt_PT": "Portuguese (Portugal)",
    "sv_SE": "Swedish (Sweden)",
    "zh_CN": "Mandarin (PRC)",
    "zh_HK": "Cantonese (Hong Kong)",
}

# Languages the emulator understands: its yes/no phrases, number words and date words cover them.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "ko": "Korean",
    "es": "Spanish",
    "ja": "Japanese",
    "fr": "French",
    "de": "German",
    "it": "Italian",
    "pt": "Portuguese",
}

# Region for phone numbers and places when the locale's own is not a country (es_419 is a UN region).
_REGION_OVERRIDES = {"es_419": "MX", "en_AB": "GB", "en_WL": "GB"}


def language_of(locale_id: str) -> str:
    """The language code of a locale id ("es_419" -> "es")."""
    return locale_id.split("_", 1)[0]


def region_of(locale_id: str) -> str:
    """The ISO 3166 country of a locale id, for phone numbers and places ("ko_KR" -> "KR")."""
    if locale_id in _REGION_OVERRIDES:
        return _REGION_OVERRIDES[locale_id]
    return locale_id.split("_", 1)[-1]


def understood(locale_id: str) -> bool:
    return locale_id in LEX_V2_LOCALES and language_of(locale_id) in LANGUAGES


SUPPORTED_LOCALES: tuple[str, ...] = tuple(sorted(locale for locale in LEX_V2_LOCALES if understood(locale)))


def locale_problem(locale_id: str) -> str | None:
    """Why a bot locale cannot run in the emulator, or None when it can."""
    if locale_id not in LEX_V2_LOCALES:
        return f"{locale_id} is not a locale Amazon Lex V2 supports"
    if not understood(locale_id):
        language = LEX_V2_LOCALES[locale_id]
        known = ", ".join(LANGUAGES.values())
        return (
            f"the Lex emulator does not understand {language} (it cannot tell yes from no, nor read "
            f"numbers and dates, in it); it understands {known}"
        )
    return None
