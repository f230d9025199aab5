// The time shown under each message. Building an Intl.DateTimeFormat is slow the first time a
// page does it (tens of ms on a small machine: the locale's data is loaded), and a message is
// rendered between Enter and the request leaving; so the page keeps one formatter per language and
// kind, and builds them ahead, when the browser is idle after load (warmTimeFormats).

import { uiLanguage } from "./i18n.js";

const TODAY = { hour: "numeric", minute: "2-digit" };
const EARLIER = { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" };
const formatters = new Map();

function formatter(locale, sameDay) {
  const lang = uiLanguage(locale) === "ko" ? "ko-KR" : "en-US";
  const key = `${lang} ${sameDay ? "today" : "earlier"}`;
  let built = formatters.get(key);
  if (!built) {
    built = new Intl.DateTimeFormat(lang, sameDay ? TODAY : EARLIER);
    formatters.set(key, built);
  }
  return built;
}

/** The time of `iso` in the page's language: the hour alone today, the date too before; "" if unreadable. */
export function formatTime(iso, locale, now = new Date()) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return "";
  }
  return formatter(locale, date.toDateString() === now.toDateString()).format(date);
}

/** Build the formatters of these locales now (the page calls it when idle, so no message waits for it). */
export function warmTimeFormats(locales) {
  for (const locale of locales) {
    formatter(locale, true);
    formatter(locale, false);
  }
}

/** How many formatters exist (tests). */
export function builtFormatters() {
  return formatters.size;
}
