// html/message_list.js: the list of messages, drawn whole, appended to, and drawn again in place.
import assert from "node:assert/strict";
import { test } from "node:test";

import { forbidHtmlParsing } from "./dom.mjs";
import { strings } from "../../../html/i18n.js";
import { MessageList, syncAttributes } from "../../../html/message_list.js";
import { renderMessage } from "../../../html/message_view.js";

const htmlWrites = forbidHtmlParsing();
const labels = strings("en_US");

/** A list on a fresh page: `view` is what message_view draws with, changed by the tests. */
function page({ streaming = () => null } = {}) {
  const scroller = document.createElement("main");
  const empty = document.createElement("section");
  const messages = document.createElement("ol");
  scroller.append(empty, messages);
  document.body.replaceChildren(scroller);
  const view = { labels, locale: "en_US", timeoutSeconds: 35, busy: false, streaming: null, stopping: false, lastLlm: null };
  const list = new MessageList({ messages, scroller, empty }, { render: (m) => renderMessage(m, view), streaming });
  return { list, view, messages, empty, scroller };
}

const user = (id, text) => ({ id, role: "user", text, time: "2026-12-01T08:00:00Z" });
const lex = (id, text, group) => ({ id, role: "bot", source: "lex", text, time: "2026-12-01T08:00:01Z", group });
function llm(id, text, status) {
  return { id, role: "bot", source: "llm", text, time: "2026-12-01T08:00:02Z",
    answer: { id: `a-${id}`, token: "t", url: `/chat/answers/a-${id}`, cursor: text.length, status, notice: null } };
}
const ids = (messages) => Array.from(messages.children, (item) => item.dataset.id);

test("renderAll draws every message in order and hides the welcome; none shows it again", () => {
  const { list, messages, empty } = page();
  list.renderAll([user("u1", "hi"), lex("b1", "Hello")]);
  assert.deepEqual(ids(messages), ["u1", "b1"]);
  assert.equal(empty.hidden, true);
  list.renderAll([]);
  assert.deepEqual(ids(messages), []);
  assert.equal(empty.hidden, false);
});

test("append adds the new last message; item() finds it, even with quotes in its id; remove() takes it off", () => {
  const { list, messages, empty } = page();
  list.renderAll([]);
  const odd = user('x"]1', "quoted");
  list.append(user("u1", "first"));
  list.append(odd);
  assert.deepEqual(ids(messages), ["u1", 'x"]1']);
  assert.equal(empty.hidden, true);
  assert.equal(list.item(odd).querySelector(".bubble").textContent, "quoted");
  list.remove('x"]1');
  assert.deepEqual(ids(messages), ["u1"]);
  assert.equal(list.item(odd), null);
  assert.equal(list.refresh(odd), null, "a message not shown is not drawn again");
});

test("bubbles of one answer are grouped: only the last of the group shows its time", () => {
  const { list, messages } = page();
  list.renderAll([lex("b1", "one", "g"), lex("b2", "two", "g"), lex("b3", "three", "g"), lex("b4", "alone")]);
  assert.deepEqual(Array.from(messages.children, (item) => item.classList.contains("grouped")), [true, true, false, false]);
  list.append(lex("b5", "next", undefined));
  assert.equal(messages.children[3].classList.contains("grouped"), false);
});

test("refresh keeps the item, the bubble and the answer's finished paragraphs; status and buttons follow", () => {
  const { list, view, messages } = page();
  const message = llm("b1", "First paragraph.\n\nSecond, still grow", "running");
  view.busy = true;
  view.streaming = message;
  list.renderAll([user("u1", "q"), message]);
  const item = list.item(message);
  const bubble = item.querySelector(".bubble");
  const firstParagraph = item.querySelector(".answer-text").firstChild;
  assert.deepEqual(Array.from(item.querySelectorAll("button[data-action]"), (b) => b.dataset.action), ["stop", "copy"]);

  message.text = "First paragraph.\n\nSecond, still growing and done.";
  message.answer.status = "done";
  view.busy = false;
  view.streaming = null;
  view.lastLlm = message;
  assert.equal(list.refresh(message), item);
  assert.equal(messages.children[1], item, "the same list item");
  assert.equal(item.querySelector(".bubble"), bubble, "the same bubble");
  assert.equal(item.querySelector(".answer-text").firstChild, firstParagraph, "the finished paragraph's node");
  assert.equal(item.querySelector(".answer-text").lastChild.textContent, "Second, still growing and done.");
  assert.equal(item.dataset.answerStatus, "done");
  assert.equal(item.hasAttribute("aria-busy"), false, "attributes the new drawing lacks are gone");
  assert.deepEqual(Array.from(item.querySelectorAll("button[data-action]"), (b) => b.dataset.action), ["copy", "regenerate"]);
  assert.deepEqual(htmlWrites, []);
});

test("the focused button keeps the focus when its message is drawn again (Copy when it is gone)", () => {
  const { list, view } = page();
  const message = llm("b1", "Text", "running");
  view.busy = true;
  view.streaming = message;
  list.renderAll([message]);
  list.item(message).querySelector("button[data-action=stop]").focus();
  message.answer.cursor = 9;
  list.refresh(message);
  assert.equal(document.activeElement.dataset.action, "stop");
  assert.notEqual(document.activeElement, list.item(message).querySelector("button[data-action=copy]"));
  message.answer.status = "stopped";
  view.busy = false;
  view.streaming = null;
  list.refresh(message);
  assert.equal(document.activeElement.dataset.action, "copy");
});

test("the answer being read is given its text container, on renderAll and on refresh", () => {
  const message = llm("b1", "Growing", "running");
  const attached = [];
  const streaming = { message, view: { attach: (node) => attached.push(node) } };
  const { list } = page({ streaming: () => streaming });
  list.renderAll([user("u1", "q"), message]);
  list.refresh(message);
  list.refresh(user("u1", "q"));
  assert.equal(attached.length, 2);
  for (const node of attached) {
    assert.equal(node, list.item(message).querySelector(".answer-text"));
  }
});

test("atEnd: within 48 px of the end counts as at the end; scrollToEnd goes there", () => {
  const { list, scroller } = page();
  const size = { scrollHeight: 1000, clientHeight: 400 };
  for (const [name, value] of Object.entries(size)) {
    Object.defineProperty(scroller, name, { configurable: true, get: () => value });
  }
  let top = 0;
  Object.defineProperty(scroller, "scrollTop", { configurable: true, get: () => top, set: (value) => { top = value; } });
  assert.equal(list.atEnd(), false);
  top = 553;
  assert.equal(list.atEnd(), true);
  top = 552;
  assert.equal(list.atEnd(), false);
  list.scrollToEnd();
  assert.equal(top, 1000);
});

test("syncAttributes makes one element's attributes another's", () => {
  const target = document.createElement("li");
  target.setAttribute("aria-busy", "true");
  target.className = "message bot streaming";
  const source = document.createElement("li");
  source.className = "message bot";
  source.dataset.answerStatus = "done";
  syncAttributes(target, source);
  assert.deepEqual(target.getAttributeNames().sort(), ["class", "data-answer-status"]);
  assert.equal(target.className, "message bot");
});
