// html/composer.js: the message box sends on Enter (never the Enter that ends an IME composition),
// keeps the text while the page is busy, and shows the counter only near the limit.
import assert from "node:assert/strict";
import { test } from "node:test";

import { dom } from "./dom.mjs";
import { strings } from "../../../html/i18n.js";
import { Composer, MAX_TEXT, isSendKey } from "../../../html/composer.js";

const { KeyboardEvent, Event, CompositionEvent } = dom.window;
const labels = strings("en_US");

function box({ busy = false } = {}) {
  const form = document.createElement("form");
  const input = document.createElement("textarea");
  const counter = document.createElement("span");
  form.append(input);
  document.body.replaceChildren(form, counter);
  const sent = [];
  let changes = 0;
  const state = { busy };
  const composer = new Composer({ form, input, counter }, {
    send: (text) => sent.push(text),
    canSend: () => !state.busy,
    changed: () => { changes += 1; },
    labels: () => labels,
  });
  composer.wire();
  const type = (text) => {
    input.value = text;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  };
  const key = (init) => {
    const event = new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true, ...init });
    input.dispatchEvent(event);
    return event;
  };
  return { composer, form, input, counter, sent, state, type, key, changes: () => changes };
}

test("isSendKey: Enter alone sends; Shift+Enter, other keys and an IME's Enter do not", () => {
  assert.equal(isSendKey({ key: "Enter" }), true);
  assert.equal(isSendKey({ key: "Enter", shiftKey: true }), false);
  assert.equal(isSendKey({ key: "a" }), false);
  assert.equal(isSendKey({ key: "Enter", isComposing: true }), false);
  assert.equal(isSendKey({ key: "Enter", keyCode: 229 }), false);
  assert.equal(isSendKey({ key: "Enter" }, true), false, "between compositionstart and compositionend");
});

test("Enter sends the text as typed, clears the box and keeps the focus in it", () => {
  const { input, sent, type, key } = box();
  type("  안녕하세요  ");
  const event = key({});
  assert.equal(event.defaultPrevented, true, "no new line");
  assert.deepEqual(sent, ["  안녕하세요  "]);
  assert.equal(input.value, "");
  assert.equal(document.activeElement, input);
});

test("Shift+Enter, and an Enter while a Korean composition is open, send nothing", () => {
  const { sent, type, key, input } = box();
  type("line one");
  assert.equal(key({ shiftKey: true }).defaultPrevented, false);
  input.dispatchEvent(new CompositionEvent("compositionstart", { bubbles: true }));
  type("한");
  assert.equal(key({}).defaultPrevented, false);
  assert.equal(key({ isComposing: true }).defaultPrevented, false);
  input.dispatchEvent(new CompositionEvent("compositionend", { bubbles: true }));
  assert.equal(key({ keyCode: 229 }).defaultPrevented, false, "the IME's own Enter");
  assert.deepEqual(sent, []);
  key({});
  assert.deepEqual(sent, ["한"]);
});

test("submitting the form sends too; nothing but spaces, or a busy page, sends nothing and keeps the text", () => {
  const { form, sent, type, state, input } = box({ busy: true });
  type("wait for it");
  form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
  assert.deepEqual(sent, []);
  assert.equal(input.value, "wait for it");
  state.busy = false;
  type(" \n\t ");
  form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
  assert.deepEqual(sent, []);
  type("now");
  form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
  assert.deepEqual(sent, ["now"]);
});

test("hasText is false for spaces only; every edit tells the page (its Send button follows)", () => {
  const { composer, type, changes } = box();
  type("   ");
  assert.equal(composer.hasText(), false);
  type(" x ");
  assert.equal(composer.hasText(), true);
  assert.equal(changes(), 2);
});

test("the counter shows from 80 % of the limit, counting UTF-16 code units", () => {
  const { counter, type } = box();
  const below = Math.ceil(MAX_TEXT * 0.8) - 1;
  type("a".repeat(below));
  assert.equal(counter.hidden, true);
  type("😀".repeat((below + 1) / 2 + 1));
  assert.equal(counter.hidden, false);
  assert.equal(counter.textContent, `${below + 3}/${MAX_TEXT} characters`);
  type("");
  assert.equal(counter.hidden, true);
});
