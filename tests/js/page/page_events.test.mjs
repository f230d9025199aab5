// html/page_events.js: each click or browser event reaches the page's handler with what it needs.
import assert from "node:assert/strict";
import { test } from "node:test";

import { dom } from "./dom.mjs";

import { wirePageEvents } from "../../../html/page_events.js";

const { Event, MouseEvent, StorageEvent } = dom.window;

function page() {
  const ui = {};
  for (const name of ["messages", "suggestions", "newChat", "localeSwitch"]) {
    ui[name] = document.createElement(name === "newChat" ? "button" : "div");
  }
  document.body.replaceChildren(...Object.values(ui));
  const calls = [];
  const record = (name) => (...args) => calls.push([name, ...args]);
  const on = Object.fromEntries(
    ["action", "retry", "suggestion", "newChat", "locale", "sessionChanged", "online"].map((name) => [name, record(name)]),
  );
  const win = new dom.window.EventTarget();
  wirePageEvents(ui, on, { sessionKey: "chatbot.session.v1", win });
  return { ui, calls, win };
}

function button(parent, data, label = "") {
  const node = document.createElement("button");
  Object.assign(node.dataset, data);
  const inner = document.createElement("span");
  inner.textContent = label;
  node.append(inner);
  parent.append(node);
  return node;
}

const click = (node) => node.dispatchEvent(new MouseEvent("click", { bubbles: true }));

test("an answer's button gives its action and message (a click on its icon counts); Retry its message", () => {
  const { ui, calls } = page();
  const copy = button(ui.messages, { action: "copy", message: "m1" }, "icon");
  button(ui.messages, { retry: "m2" });
  click(copy.firstChild);
  click(ui.messages.lastChild);
  click(ui.messages);
  assert.deepEqual(calls, [["action", "copy", "m1", copy], ["retry", "m2"]]);
});

test("a chip sends its text; New chat; a locale button its locale; clicks beside buttons do nothing", () => {
  const { ui, calls } = page();
  button(ui.suggestions, { suggestion: "What can you do?" });
  button(ui.localeSwitch, { locale: "en_US" });
  click(ui.suggestions.firstChild);
  click(ui.newChat);
  click(ui.localeSwitch.firstChild.firstChild);
  click(ui.suggestions);
  click(ui.localeSwitch);
  assert.deepEqual(calls, [["suggestion", "What can you do?"], ["newChat"], ["locale", "en_US"]]);
});

test("another tab writing the browser's conversation record, and the connection coming back", () => {
  const { calls, win } = page();
  win.dispatchEvent(new StorageEvent("storage", { key: "chatbot.conversation.v1" }));
  win.dispatchEvent(new StorageEvent("storage", { key: "chatbot.session.v1" }));
  win.dispatchEvent(new Event("online"));
  assert.deepEqual(calls, [["sessionChanged"], ["online"]]);
});
