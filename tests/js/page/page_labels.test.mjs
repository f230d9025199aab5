// html/page_labels.js: the page's words follow the conversation's language, and the locale switch.
import assert from "node:assert/strict";
import { test } from "node:test";

import { forbidHtmlParsing } from "./dom.mjs";
import { LOCALE_NAMES, strings } from "../../../html/i18n.js";
import { applyLabels, buildLocaleSwitch } from "../../../html/page_labels.js";

const htmlWrites = forbidHtmlParsing();

/** A page with one element of each kind the labels reach. */
function page() {
  const heading = document.createElement("h1");
  heading.dataset.i18n = "title";
  const newChat = document.createElement("button");
  newChat.dataset.i18nLabel = "newChat";
  newChat.dataset.i18nTitle = "newChatLabel";
  const input = document.createElement("textarea");
  const suggestions = document.createElement("div");
  const localeSwitch = document.createElement("div");
  document.body.replaceChildren(heading, newChat, input, suggestions, localeSwitch);
  return { heading, newChat, input, suggestions, localeSwitch };
}

test("every marked element, the title, the language and the placeholder take the locale's labels", () => {
  const parts = page();
  for (const locale of ["en_US", "ko_KR"]) {
    const labels = strings(locale);
    applyLabels(document, labels, locale, parts);
    assert.equal(document.documentElement.lang, locale.slice(0, 2));
    assert.equal(document.title, labels.title);
    assert.equal(parts.heading.textContent, labels.title);
    assert.equal(parts.newChat.getAttribute("aria-label"), labels.newChat);
    assert.equal(parts.newChat.title, labels.newChatLabel);
    assert.equal(parts.input.placeholder, labels.placeholder);
  }
  assert.notEqual(strings("en_US").placeholder, strings("ko_KR").placeholder);
});

test("the suggestions become chips carrying their text as text, never as markup", () => {
  const parts = page();
  const labels = { ...strings("en_US"), suggestions: ["Hello", "<img src=x onerror=alert(1)>"] };
  applyLabels(document, labels, "en_US", parts);
  const chips = Array.from(parts.suggestions.children);
  assert.deepEqual(chips.map((chip) => chip.dataset.suggestion), labels.suggestions);
  assert.deepEqual(chips.map((chip) => chip.type), ["button", "button"]);
  assert.equal(chips[1].textContent, "<img src=x onerror=alert(1)>");
  assert.equal(parts.suggestions.querySelector("img"), null);
  assert.deepEqual(htmlWrites, []);
});

test("the locale switch: a button per locale named in its own language, the current one pressed", () => {
  const parts = page();
  buildLocaleSwitch(parts.localeSwitch, ["ko_KR", "en_US", "xx_YY"]);
  const buttons = Array.from(parts.localeSwitch.children);
  assert.deepEqual(buttons.map((b) => b.textContent), [LOCALE_NAMES.ko_KR, LOCALE_NAMES.en_US, "xx_YY"]);
  assert.deepEqual(buttons.map((b) => b.lang), ["ko", "en", "en"], "a language the page lacks reads as English");
  assert.equal(parts.localeSwitch.hidden, false);
  applyLabels(document, strings("en_US"), "en_US", parts);
  assert.deepEqual(buttons.map((b) => b.getAttribute("aria-pressed")), ["false", "true", "false"]);
  buildLocaleSwitch(parts.localeSwitch, ["en_US"]);
  assert.equal(parts.localeSwitch.hidden, true, "one locale: nothing to switch");
});
