// html/page_controls.js: what a busy page disables and shows, and the screen reader's announcements.
import assert from "node:assert/strict";
import { test } from "node:test";

import "./dom.mjs";
import { strings } from "../../../html/i18n.js";
import { announce, showBusy } from "../../../html/page_controls.js";

const labels = strings("en_US");

function page() {
  const send = document.createElement("button");
  const typing = document.createElement("div");
  const hint = document.createElement("p");
  const busyHint = document.createElement("span");
  hint.append(busyHint);
  const messages = document.createElement("ol");
  for (const attribute of ["data-retry", "data-action=regenerate", "data-action=resume", "data-action=copy", "data-action=stop"]) {
    const button = document.createElement("button");
    const [name, value = "x"] = attribute.split("=");
    button.setAttribute(name, value);
    messages.append(button);
  }
  const suggestions = document.createElement("div");
  suggestions.append(document.createElement("button"), document.createElement("button"));
  document.body.replaceChildren(send, typing, hint, messages, suggestions);
  const disabled = () => Array.from(messages.children, (b) => b.disabled);
  const chipsDisabled = () => Array.from(suggestions.children, (b) => b.disabled);
  return { parts: { send, typing, busyHint, messages, suggestions }, hint, disabled, chipsDisabled };
}

test("idle: Send works once there is text; nothing is disabled, no dots, no hint", () => {
  const { parts, hint, disabled, chipsDisabled } = page();
  showBusy(parts, { waiting: false, answering: false, hasText: false, labels });
  assert.equal(parts.send.disabled, true, "nothing to send");
  showBusy(parts, { waiting: false, answering: false, hasText: true, labels });
  assert.equal(parts.send.disabled, false);
  assert.equal(parts.send.getAttribute("aria-busy"), "false");
  assert.equal(parts.typing.hidden, true);
  assert.equal(parts.busyHint.hidden, true);
  assert.equal(hint.classList.contains("busy"), false);
  assert.deepEqual(disabled(), [false, false, false, false, false]);
  assert.deepEqual(chipsDisabled(), [false, false]);
});

test("waiting for /chat: the typing dots; Send, Retry, Regenerate, Resume and the chips wait", () => {
  const { parts, disabled, chipsDisabled } = page();
  showBusy(parts, { waiting: true, answering: false, hasText: true, labels });
  assert.equal(parts.send.disabled, true);
  assert.equal(parts.send.getAttribute("aria-busy"), "true");
  assert.equal(parts.typing.hidden, false);
  assert.equal(parts.busyHint.hidden, true);
  assert.deepEqual(disabled(), [true, true, true, false, false], "Copy and Stop stay usable");
  assert.deepEqual(chipsDisabled(), [true, true]);
});

test("an answer being written: the busy hint (on Send too) instead of the dots; it goes when done", () => {
  const { parts, hint } = page();
  showBusy(parts, { waiting: false, answering: true, hasText: true, labels });
  assert.equal(parts.typing.hidden, true);
  assert.equal(parts.busyHint.hidden, false);
  assert.equal(parts.busyHint.textContent, labels.busyHint);
  assert.equal(parts.send.title, labels.busyHint);
  assert.equal(hint.classList.contains("busy"), true);
  showBusy(parts, { waiting: false, answering: false, hasText: true, labels });
  assert.equal(parts.busyHint.textContent, "");
  assert.equal(parts.send.title, "");
  assert.equal(hint.classList.contains("busy"), false);
});

test("announce empties the live region, then puts the text in (read out even when repeated)", async () => {
  const region = document.createElement("div");
  region.textContent = "Copied";
  announce(region, "Copied", { delayMs: 5 });
  assert.equal(region.textContent, "");
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(region.textContent, "Copied");
});
