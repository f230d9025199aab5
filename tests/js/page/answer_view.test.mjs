// html/answer_view.js and html/clipboard.js: a streamed answer's bubble and buttons, and Copy.
import assert from "node:assert/strict";
import { test } from "node:test";

import { forbidHtmlParsing } from "./dom.mjs";
import { answerActions, confirmCopy, fillAnswerBubble, noticeText } from "../../../html/answer_view.js";
import { copyText } from "../../../html/clipboard.js";
import { strings } from "../../../html/i18n.js";

const htmlWrites = forbidHtmlParsing();
const en = strings("en_US");

function answer(status, text = "", extra = {}) {
  return { id: "m1", role: "bot", source: "llm", text, time: "2026-12-01T08:00:00Z",
    answer: { id: "a1", token: "t", url: "/chat/answers/a1", cursor: 0, status, notice: null, ...extra } };
}

function bubbleOf(message) {
  const bubble = document.createElement("div");
  fillAnswerBubble(bubble, message, en);
  return bubble;
}

test("a running answer without text shows the writing indicator; with text, the text as Markdown so far", () => {
  const waiting = bubbleOf(answer("pending"));
  assert.equal(waiting.querySelector(".writing").hidden, false);
  assert.equal(waiting.querySelector(".answer-text").childNodes.length, 0);
  const growing = bubbleOf(answer("running", "Some **bold** and\n```py\nx = 1"));
  assert.equal(growing.querySelector(".writing").hidden, true);
  assert.equal(growing.querySelector("strong").textContent, "bold");
  assert.equal(growing.querySelector("pre code").textContent, "x = 1");
  assert.equal(bubbleOf(answer("running", "Cut **in the mid")).querySelector("strong").textContent, "in the mid");
});

test("an answer that ended keeps its text, marked with the server's notice or the page's own", () => {
  const stopped = bubbleOf(answer("stopped", "Half an answer", { notice: "(stopped by you)" }));
  assert.equal(stopped.querySelector(".answer-text").textContent, "Half an answer");
  assert.equal(stopped.querySelector(".answer-notice").textContent, "(stopped by you)");
  assert.equal(bubbleOf(answer("stopped", "x")).querySelector(".answer-notice").textContent, en.answerStopped);
  assert.equal(bubbleOf(answer("failed", "x")).querySelector(".answer-notice").textContent, en.answerFailed);
  assert.equal(bubbleOf(answer("lost", "x")).querySelector(".answer-notice").textContent, en.answerLost);
  assert.equal(bubbleOf(answer("done", "All of it")).querySelector(".answer-notice"), null);
  assert.equal(bubbleOf(answer("done", "")).textContent, en.noAnswer);
  assert.equal(noticeText({ role: "bot", text: "x" }, en), null);
  assert.equal(bubbleOf(answer("done", "x")).querySelector(".writing"), null);
});

test("the buttons: Stop while streaming, Resume when lost, Copy always, Regenerate where allowed", () => {
  const names = (row) => Array.from(row.querySelectorAll("button"), (b) => b.dataset.action);
  assert.deepEqual(names(answerActions(answer("running", "x"), en, { streaming: true })), ["stop", "copy"]);
  assert.deepEqual(names(answerActions(answer("done", "x"), en, { canRegenerate: true })), ["copy", "regenerate"]);
  assert.deepEqual(names(answerActions(answer("lost", "x"), en, {})), ["resume", "copy"]);
  const stopping = answerActions(answer("running", "x"), en, { streaming: true, stopping: true }).querySelector("[data-action=stop]");
  assert.equal(stopping.disabled, true);
  assert.equal(stopping.textContent, en.stopping);
  const row = answerActions(answer("done", "x"), en, { canRegenerate: true, busy: true });
  assert.equal(row.querySelector("[data-action=regenerate]").disabled, true);
  for (const button of row.querySelectorAll("button")) {
    assert.equal(button.type, "button");
    assert.ok(button.getAttribute("aria-label"));
    assert.equal(button.dataset.message, "m1");
  }
});

test("Copy confirms on its button, then the label comes back", async () => {
  const button = answerActions(answer("done", "x"), en, {}).querySelector("[data-action=copy]");
  confirmCopy(button, en, true, { ms: 20 });
  assert.equal(button.textContent, en.copied);
  assert.ok(button.classList.contains("copied"));
  await new Promise((resolve) => setTimeout(resolve, 40));
  assert.equal(button.textContent, en.copy);
  confirmCopy(button, en, false, { ms: 20 });
  assert.equal(button.textContent, en.copyFailed);
  assert.deepEqual(htmlWrites, []);
});

test("copyText uses the Clipboard API, and falls back to a selected textarea when it is refused", async () => {
  const written = [];
  assert.equal(await copyText("one", { navigatorImpl: { clipboard: { writeText: async (t) => written.push(t) } } }), true);
  assert.deepEqual(written, ["one"]);
  const copied = [];
  document.execCommand = (command) => {
    const area = document.querySelector("textarea");
    copied.push([command, area.value, area.selectionStart, area.selectionEnd]);
    return true;
  };
  const refused = { clipboard: { writeText: async () => { throw new Error("NotAllowedError"); } } };
  assert.equal(await copyText("two lines\nof text", { navigatorImpl: refused }), true);
  assert.deepEqual(copied, [["copy", "two lines\nof text", 0, 17]]);
  assert.equal(document.querySelector("textarea"), null, "the helper textarea is gone");
  document.execCommand = () => false;
  assert.equal(await copyText("x", { navigatorImpl: {} }), false);
});
