// The bot's own words on the page: config.json's `page`, per bot locale its title, welcome text
// and example messages, which the stack and the dev server build from the bot definition and the
// page.json beside it. Whatever is missing or unusable keeps the page's built-in label (i18n.js).

const MAX_TITLE = 80;
const MAX_WELCOME = 500;
const MAX_SUGGESTION = 1024; // the message box takes no more
const MAX_SUGGESTIONS = 6;

function text(value, limit) {
  return typeof value === "string" && value.trim() && value.length <= limit ? value.trim() : null;
}

/** One locale's texts, checked: {title?, welcomeText?, suggestions?}, in i18n.js's label names. */
function readLocale(raw) {
  const texts = {};
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    return texts;
  }
  const title = text(raw.title, MAX_TITLE);
  if (title) {
    texts.title = title;
  }
  const welcome = text(raw.welcome, MAX_WELCOME);
  if (welcome) {
    texts.welcomeText = welcome;
  }
  if (Array.isArray(raw.suggestions) && raw.suggestions.length <= MAX_SUGGESTIONS) {
    const suggestions = raw.suggestions.map((s) => text(s, MAX_SUGGESTION));
    if (suggestions.every(Boolean)) {
      texts.suggestions = suggestions;
    }
  }
  return texts;
}

/** config.json's `page` as {locale: texts}; a locale whose entry is unusable is left out. */
export function readBotTexts(raw) {
  const byLocale = {};
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    return byLocale;
  }
  for (const [locale, entry] of Object.entries(raw)) {
    const texts = readLocale(entry);
    if (Object.keys(texts).length) {
      byLocale[locale] = texts;
    }
  }
  return byLocale;
}

/** `labels` (i18n.strings(locale)) with the bot's texts for `locale` in place of the built-in ones. */
export function withBotTexts(labels, botTexts, locale) {
  const own = botTexts && Object.hasOwn(botTexts, locale) ? botTexts[locale] : null;
  return own ? { ...labels, ...own } : labels;
}
