// The page's words in the conversation's language: the document's language and title, every
// element marked data-i18n (its text), data-i18n-label (its aria-label) or data-i18n-title (its
// tooltip), the box's placeholder, the suggestion chips, and the locale switch's buttons.

import { LOCALE_NAMES, uiLanguage } from "./i18n.js";
import { el } from "./message_view.js";

/** The locale switch: one button per locale (its name in its own language); hidden for one locale. */
export function buildLocaleSwitch(container, locales) {
  container.replaceChildren(
    ...locales.map((locale) => {
      const button = el("button", "locale", LOCALE_NAMES[locale] || locale);
      button.type = "button";
      button.dataset.locale = locale;
      button.lang = uiLanguage(locale);
      return button;
    }),
  );
  container.hidden = locales.length < 2;
}

/**
 * Put `labels` (i18n.strings(locale)) on the page. parts: {input, suggestions, localeSwitch}; the
 * suggestions become buttons carrying data-suggestion, the switch's buttons aria-pressed.
 */
export function applyLabels(doc, labels, locale, { input, suggestions, localeSwitch }) {
  doc.documentElement.lang = uiLanguage(locale);
  doc.title = labels.title;
  for (const node of doc.querySelectorAll("[data-i18n]")) {
    node.textContent = labels[node.dataset.i18n];
  }
  for (const node of doc.querySelectorAll("[data-i18n-label]")) {
    node.setAttribute("aria-label", labels[node.dataset.i18nLabel]);
  }
  for (const node of doc.querySelectorAll("[data-i18n-title]")) {
    node.title = labels[node.dataset.i18nTitle];
  }
  input.placeholder = labels.placeholder;
  suggestions.replaceChildren(
    ...labels.suggestions.map((text) => {
      const chip = el("button", "chip", text);
      chip.type = "button";
      chip.dataset.suggestion = text;
      return chip;
    }),
  );
  for (const button of localeSwitch.querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.dataset.locale === locale));
  }
}
