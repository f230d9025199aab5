// html/bot_texts.js and its use: the page speaks for the bot config.json describes (its title,
// welcome text and example chips per locale), and keeps its built-in labels where config.json says
// nothing usable.
import assert from "node:assert/strict";
import { test } from "node:test";

import { forbidHtmlParsing } from "./dom.mjs";
import { readBotTexts, withBotTexts } from "../../../html/bot_texts.js";
import { strings } from "../../../html/i18n.js";
import { applyLabels } from "../../../html/page_labels.js";
import { loadConfig } from "../../../html/page_state.js";

const htmlWrites = forbidHtmlParsing();

const PAGE = {
  en_US: { title: "Plant shop", welcome: "Ask about opening hours or repotting.", suggestions: ["when do you open", "What is Amazon Lex?"] },
  ko_KR: { title: "화원", welcome: "영업시간이나 분갈이를 물어보세요.", suggestions: ["몇 시에 열어요?"] },
};

test("each locale's title, welcome and chips replace the built-in ones, in i18n's label names", () => {
  const texts = readBotTexts(PAGE);
  const english = withBotTexts(strings("en_US"), texts, "en_US");
  assert.equal(english.title, "Plant shop");
  assert.equal(english.welcomeText, "Ask about opening hours or repotting.");
  assert.deepEqual(english.suggestions, ["when do you open", "What is Amazon Lex?"]);
  assert.equal(english.placeholder, strings("en_US").placeholder, "the page's own labels stay");
  const korean = withBotTexts(strings("ko_KR"), texts, "ko_KR");
  assert.deepEqual([korean.title, korean.suggestions], ["화원", ["몇 시에 열어요?"]]);
  assert.equal(korean.send, strings("ko_KR").send);
});

test("a locale config.json does not describe keeps the built-in labels", () => {
  const texts = readBotTexts({ en_US: PAGE.en_US });
  assert.deepEqual(withBotTexts(strings("ko_KR"), texts, "ko_KR"), strings("ko_KR"));
  assert.deepEqual(withBotTexts(strings("en_US"), {}, "en_US"), strings("en_US"));
  assert.deepEqual(withBotTexts(strings("en_US"), undefined, "en_US"), strings("en_US"));
});

test("unusable entries are left out field by field, never shown", () => {
  const texts = readBotTexts({
    en_US: { title: "  ", welcome: 5, suggestions: ["fine", ""] },
    ko_KR: { title: "x".repeat(81), welcome: "좋아요", suggestions: "안녕" },
    es_ES: "hola",
    ja_JP: { suggestions: Array(7).fill("はい") },
    de_DE: { title: " Gartenbot ", suggestions: [] },
  });
  assert.deepEqual(texts, { ko_KR: { welcomeText: "좋아요" }, de_DE: { title: "Gartenbot", suggestions: [] } });
  for (const junk of [null, "page", [PAGE], 3]) {
    assert.deepEqual(readBotTexts(junk), {});
  }
  const korean = withBotTexts(strings("ko_KR"), texts, "ko_KR");
  assert.equal(korean.title, strings("ko_KR").title);
  assert.deepEqual(korean.suggestions, strings("ko_KR").suggestions);
});

test("the bot's texts reach the page: document title, heading, welcome and chips, as text only", () => {
  const heading = document.createElement("h1");
  heading.dataset.i18n = "title";
  const welcome = document.createElement("p");
  welcome.dataset.i18n = "welcomeText";
  const input = document.createElement("textarea");
  const suggestions = document.createElement("div");
  const localeSwitch = document.createElement("div");
  document.body.replaceChildren(heading, welcome, input, suggestions, localeSwitch);
  const texts = readBotTexts({ en_US: { ...PAGE.en_US, title: "<b>Plant</b> shop", suggestions: ["<img src=x>"] } });

  applyLabels(document, withBotTexts(strings("en_US"), texts, "en_US"), "en_US", { input, suggestions, localeSwitch });

  assert.equal(document.title, "<b>Plant</b> shop");
  assert.equal(heading.textContent, "<b>Plant</b> shop");
  assert.equal(welcome.textContent, PAGE.en_US.welcome);
  assert.deepEqual(Array.from(suggestions.children, (chip) => chip.dataset.suggestion), ["<img src=x>"]);
  assert.equal(document.querySelector("b, img"), null);
  assert.deepEqual(htmlWrites, []);
});

test("loadConfig reads the bot's texts from config.json, and has none when it cannot", async (t) => {
  const served = { defaultLocale: "en_US", locales: ["en_US"], page: PAGE };
  t.mock.method(globalThis, "fetch", async () => ({ ok: true, json: async () => served }));
  const config = await loadConfig();
  assert.equal(config.defaultLocale, "en_US");
  assert.deepEqual(config.page.en_US.suggestions, PAGE.en_US.suggestions);
  assert.equal(config.page.en_US.welcomeText, PAGE.en_US.welcome);

  t.mock.method(globalThis, "fetch", async () => ({ ok: true, json: async () => ({ locales: ["en_US"] }) }));
  assert.deepEqual((await loadConfig()).page, {});
  t.mock.method(globalThis, "fetch", async () => ({ ok: false }));
  assert.deepEqual((await loadConfig()).page, {});
});
