// html/conversation.js and html/replies.js: the browser's record of the conversation, the server's
// transcript turned back into messages, and what the page makes of /chat replies.
import assert from "node:assert/strict";
import { test } from "node:test";

import { fetchConversation, isoTime, readSession, transcriptMessages, writeSession } from "../../../html/conversation.js";
import { answerBubbles, answerHandle, failure } from "../../../html/replies.js";

class MemoryStorage {
  constructor() {
    this.items = new Map();
  }
  getItem(key) {
    return this.items.has(key) ? this.items.get(key) : null;
  }
  setItem(key, value) {
    this.items.set(key, String(value));
  }
}

function ids() {
  let n = 0;
  return () => `m${(n += 1)}`;
}

test("the session record round-trips through localStorage; junk reads as nothing", () => {
  const storage = new MemoryStorage();
  assert.equal(readSession(storage), null);
  writeSession({ sessionId: "abc-123", conversationToken: "tok", locale: "en_US" }, storage);
  assert.deepEqual(readSession(storage), { sessionId: "abc-123", conversationToken: "tok", locale: "en_US" });
  storage.setItem("chatbot.session.v1", JSON.stringify({ sessionId: "bad id with spaces" }));
  assert.equal(readSession(storage), null);
  storage.setItem("chatbot.session.v1", "{not json");
  assert.equal(readSession(storage), null);
  const broken = { getItem() { throw new Error("disabled"); }, setItem() { throw new Error("full"); } };
  assert.equal(readSession(broken), null);
  writeSession({ sessionId: "abc" }, broken); // no throw
});

test("transcript times: ISO text and epoch seconds or milliseconds", () => {
  assert.equal(isoTime("2026-12-01T08:00:00.123Z"), "2026-12-01T08:00:00.123Z");
  assert.equal(isoTime(1_764_576_000), "2025-12-01T08:00:00.000Z");
  assert.equal(isoTime(1_764_576_000_000), "2025-12-01T08:00:00.000Z");
  assert.match(isoTime("nonsense"), /^\d{4}-\d\d-\d\dT/);
});

test("a transcript becomes the page's messages: intent bubbles as /chat gives them, streamed answers with their state", () => {
  const turns = [
    { role: "user", text: "안녕하세요", at: "2026-12-01T08:00:00.000Z" },
    {
      role: "bot", source: "lex", msg: "a", at: "2026-12-01T08:00:00.500Z",
      messages: [{ contentType: "PlainText", content: "first" }, { contentType: "PlainText", content: "second" }],
    },
    { role: "user", text: "What is Lex?", at: "2026-12-01T08:01:00.000Z" },
    {
      role: "bot", source: "llm", msg: "", messages: [], answerId: "a1", at: "2026-12-01T08:01:00.200Z",
      answer: { id: "a2", status: "stopped", text: "Lex is", cursor: 3, notice: "(stopped)", errorKind: null },
    },
    { role: "user", text: "More", at: "2026-12-01T08:02:00.000Z" },
    { role: "bot", source: "llm", answerId: "a3", at: "2026-12-01T08:02:00.100Z",
      answer: { id: "a3", status: "running", text: "Go", cursor: 1, notice: null } },
    null,
    { role: "system", text: "ignored" },
  ];
  const newId = ids();
  const messages = transcriptMessages(turns, {
    botBubbles: (turn) => answerBubbles(turn, newId),
    newId,
    answersUrl: "chat/answers",
  });
  assert.deepEqual(messages.map((m) => [m.role, m.text, m.source ?? null]), [
    ["user", "안녕하세요", null],
    ["bot", "first", "lex"],
    ["bot", "second", "lex"],
    ["user", "What is Lex?", null],
    ["bot", "Lex is", "llm"],
    ["user", "More", null],
    ["bot", "Go", "llm"],
  ]);
  assert.equal(messages[1].group, messages[2].group, "one answer's bubbles are grouped");
  assert.equal(messages[1].time, "2026-12-01T08:00:00.500Z");
  assert.deepEqual(messages[4].answer, {
    id: "a2", token: null, url: "chat/answers/a2", cursor: 3, status: "stopped", notice: "(stopped)", errorKind: null,
  });
  assert.equal(messages[6].answer.status, "running");
  assert.equal(messages[6].answer.cursor, 1);
});

test("the conversation is fetched with its token; 404 is 'missing', anything else is 'unreachable'", async () => {
  const seen = [];
  const reply = (response) => async (url, init) => {
    seen.push({ url, token: init.headers["X-Conversation-Token"] });
    if (response instanceof Error) {
      throw response;
    }
    return response;
  };
  const ok = await fetchConversation({
    url: "chat/conversations", sessionId: "s-1", token: "ct",
    fetchImpl: reply(Response.json({ sessionId: "s-1", turns: [{ role: "user", text: "hi" }], activeAnswer: null })),
  });
  assert.deepEqual(ok, { turns: [{ role: "user", text: "hi" }], activeAnswer: null });
  assert.deepEqual(seen[0], { url: "chat/conversations/s-1", token: "ct" });
  const missing = await fetchConversation({
    url: "c", sessionId: "s", token: "t",
    fetchImpl: reply(Response.json({ error: { code: "conversation_not_found" } }, { status: 404 })),
  });
  assert.deepEqual(missing, { missing: true });
  assert.deepEqual(await fetchConversation({ url: "c", sessionId: "s", token: "t", fetchImpl: reply(new TypeError("down")) }), { missing: false });
  assert.deepEqual(await fetchConversation({ url: "c", sessionId: "s", token: "t", fetchImpl: reply(new Response("<html>")) }), { missing: false });
});

test("a /chat reply's answer handle needs an id, a token and a url", () => {
  assert.deepEqual(answerHandle({ id: "a", token: "t", url: "/chat/answers/a", extra: 1 }), { id: "a", token: "t", url: "/chat/answers/a" });
  assert.equal(answerHandle({ id: "a", token: "", url: "/x" }), null);
  assert.equal(answerHandle(null), null);
  assert.equal(answerHandle("a"), null);
});

test("failures: a code the page knows is shown as itself, 409 is session_busy, 429 keeps Retry-After", () => {
  const errors = { session_busy: "busy", cannot_regenerate: "no", generic: "g" };
  const headers = new Headers({ "Retry-After": "4" });
  assert.deepEqual(failure(409, { error: { code: "session_busy", message: "m", answerId: "a" } }, headers, errors), {
    reason: "session_busy", status: 409, detail: "HTTP 409 · session_busy",
  });
  assert.deepEqual(failure(409, null, headers, errors), { reason: "session_busy", status: 409 });
  assert.deepEqual(failure(429, null, headers, errors), { reason: "throttled", status: 429, seconds: 4 });
  assert.equal(failure(500, { error: { code: "weird", message: "boom" } }, headers, errors).reason, "generic");
});
