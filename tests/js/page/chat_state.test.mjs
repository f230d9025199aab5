// html/chat_state.js: the page's conversation, kept in the browser's storage at every change.
import assert from "node:assert/strict";
import { test } from "node:test";

import "./dom.mjs";
import { ChatState } from "../../../html/chat_state.js";
import { SESSION_KEY, TAB_KEY, readSession } from "../../../html/conversation.js";
import { DEFAULT_CONFIG, loadState } from "../../../html/page_state.js";

const SESSION = "4d1c9e2b-7a3f-4b8e-a5c6-9e0f1d2b3c4a";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function opened({ messages = [], token = "ct-1" } = {}) {
  localStorage.clear();
  sessionStorage.clear();
  const chat = new ChatState({ now: () => new Date("2026-12-01T08:00:00Z") });
  chat.open({ state: { sessionId: SESSION, locale: "en_US", messages, pending: null }, conversationToken: token });
  return chat;
}

test("open keeps the conversation at once: the browser's record and the tab's copy", () => {
  const chat = opened({ messages: [{ id: "m1", role: "user", text: "hi", time: "t" }] });
  assert.deepEqual(readSession(), { sessionId: SESSION, conversationToken: "ct-1", locale: "en_US" });
  assert.deepEqual(loadState(DEFAULT_CONFIG).messages.map((m) => m.id), ["m1"]);
  assert.equal(chat.sessionId, SESSION);
  assert.equal(chat.locale, "en_US");
});

test("add gives each message a new id and the time, and saves; remove and replace save too", () => {
  const chat = opened();
  const first = chat.add({ role: "user", text: "one" });
  const second = chat.add({ role: "bot", text: "two", source: "lex" });
  assert.notEqual(first.id, second.id);
  assert.equal(first.time, "2026-12-01T08:00:00.000Z");
  assert.deepEqual(JSON.parse(sessionStorage.getItem(TAB_KEY)).messages.map((m) => m.text), ["one", "two"]);
  assert.equal(chat.find(second.id), second);
  chat.remove(first.id);
  assert.deepEqual(loadState(DEFAULT_CONFIG).messages.map((m) => m.text), ["two"]);
  chat.replace([{ id: "s1", role: "user", text: "server", time: "t" }]);
  assert.deepEqual(loadState(DEFAULT_CONFIG).messages.map((m) => m.text), ["server"]);
});

test("lastLlmAnswer: the last bot message when it was streamed, else none (Regenerate's rule)", () => {
  const chat = opened();
  const answer = { id: "a", token: "t", url: "u", cursor: 0, status: "done", notice: null };
  assert.equal(chat.lastLlmAnswer(), null);
  const streamed = chat.add({ role: "bot", source: "llm", text: "x", answer });
  chat.add({ role: "user", text: "more" });
  chat.add({ role: "error", text: "more", reason: "network" });
  assert.equal(chat.lastLlmAnswer(), streamed, "users' messages and errors after it do not count");
  chat.add({ role: "bot", source: "lex", text: "intent answer" });
  assert.equal(chat.lastLlmAnswer(), null);
});

test("a reply's session id and first-turn token are kept; a later reply without a token keeps it", () => {
  const chat = opened({ token: null });
  chat.accept({ sessionId: "srv-session-2", conversationToken: "ct-new" });
  assert.deepEqual(readSession(), { sessionId: "srv-session-2", conversationToken: "ct-new", locale: "en_US" });
  chat.accept({ sessionId: null, conversationToken: null });
  assert.deepEqual(readSession(), { sessionId: "srv-session-2", conversationToken: "ct-new", locale: "en_US" });
  chat.forgetToken();
  assert.equal(readSession().conversationToken, null);
});

test("the pending message is kept for a reload, and cleared once answered", () => {
  const chat = opened();
  chat.setPending("are you there?");
  assert.deepEqual(loadState(DEFAULT_CONFIG).pending, { text: "are you there?" });
  chat.setPending(null);
  assert.equal(loadState(DEFAULT_CONFIG).pending, null);
});

test("a new locale is kept; reset starts a new session in it, with no token and no messages", () => {
  const chat = opened({ messages: [{ id: "m1", role: "user", text: "hi", time: "t" }] });
  chat.setLocale("ko_KR");
  assert.equal(readSession().locale, "ko_KR");
  chat.reset();
  assert.match(chat.sessionId, UUID);
  assert.equal(chat.locale, "ko_KR");
  assert.deepEqual(chat.messages, []);
  assert.equal(chat.token, null);
  const record = JSON.parse(localStorage.getItem(SESSION_KEY));
  assert.deepEqual(record, { sessionId: chat.sessionId, conversationToken: null, locale: "ko_KR" });
});
