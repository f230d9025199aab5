// html/page_state.js: the tab's copy of the conversation is read back only as far as it is sound.
import assert from "node:assert/strict";
import { test } from "node:test";

import "./dom.mjs";
import { TAB_KEY } from "../../../html/conversation.js";
import { DEFAULT_CONFIG, MAX_STORED_MESSAGES, TabCopy, freshState, loadState } from "../../../html/page_state.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("nothing kept, or junk kept: a fresh conversation in the default locale", () => {
  sessionStorage.clear();
  const fresh = loadState(DEFAULT_CONFIG);
  assert.match(fresh.sessionId, UUID);
  assert.deepEqual([fresh.locale, fresh.messages, fresh.pending], ["ko_KR", [], null]);
  sessionStorage.setItem(TAB_KEY, "{broken");
  assert.match(loadState(DEFAULT_CONFIG).sessionId, UUID);
  assert.notEqual(freshState("en_US").sessionId, freshState("en_US").sessionId);
});

test("messages come back when sound; a streamed answer's record must be whole", () => {
  const answer = { id: "a", token: "t", url: "/chat/answers/a", cursor: 2, status: "running", notice: null };
  const messages = [
    { id: "1", role: "user", text: "q", time: "2026-12-01T08:00:00Z" },
    { id: "2", role: "bot", text: "Half", time: "2026-12-01T08:00:01Z", source: "llm", answer },
    { id: "3", role: "bot", text: "x", time: "t", answer: { ...answer, cursor: -1 } },
    { id: "4", role: "bot", text: "x", time: "t", answer: { ...answer, url: 5 } },
    { id: "5", role: "bot", text: "x", time: "t", answer: { ...answer, token: 7 } },
    { id: "6", role: "system", text: "x", time: "t" },
    { id: "7", role: "bot", text: 3, time: "t" },
  ];
  sessionStorage.setItem(TAB_KEY, JSON.stringify({ sessionId: "s-1", locale: "en_US", messages, pending: { text: "p" } }));
  const state = loadState(DEFAULT_CONFIG);
  assert.equal(state.sessionId, "s-1");
  assert.equal(state.locale, "en_US");
  assert.deepEqual(state.messages.map((m) => m.id), ["1", "2"]);
  assert.deepEqual(state.messages[1].answer, answer);
  assert.deepEqual(state.pending, { text: "p" });
  sessionStorage.setItem(TAB_KEY, JSON.stringify({ sessionId: "s-1", locale: "fr_FR", messages: [] }));
  assert.equal(loadState(DEFAULT_CONFIG).locale, "ko_KR");
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test("TabCopy.save writes the tab's copy at once, keeping the last 200 messages", () => {
  sessionStorage.clear();
  const messages = Array.from({ length: MAX_STORED_MESSAGES + 5 }, (_, i) => ({ id: String(i), role: "user", text: "q", time: "t" }));
  const state = { sessionId: "s-2", locale: "en_US", messages, pending: null };
  new TabCopy(() => state).save();
  assert.equal(state.messages.length, MAX_STORED_MESSAGES);
  assert.equal(state.messages[0].id, "5");
  const read = loadState(DEFAULT_CONFIG);
  assert.equal(read.sessionId, "s-2");
  assert.deepEqual(read.messages.map((m) => m.id), state.messages.map((m) => m.id));
});

test("TabCopy.saveSoon writes once for many calls, after the delay; save() meanwhile writes at once", async () => {
  const writes = [];
  const storage = { setItem: (key, value) => writes.push([key, JSON.parse(value).messages.length]) };
  const state = { sessionId: "s-3", locale: "en_US", messages: [], pending: null };
  const tab = new TabCopy(() => state, { storage, delayMs: 20 });
  for (let i = 0; i < 5; i += 1) {
    state.messages.push({ id: String(i), role: "bot", text: "x", time: "t" });
    tab.saveSoon();
  }
  assert.deepEqual(writes, []);
  await sleep(60);
  assert.deepEqual(writes, [[TAB_KEY, 5]]);
  tab.saveSoon();
  tab.save();
  await sleep(60);
  assert.equal(writes.length, 2, "the save at once took the pending one's place");
});

test("TabCopy: storage that refuses (full, disabled) is no error", () => {
  const storage = { setItem: () => { throw new DOMException("full", "QuotaExceededError"); } };
  const state = { sessionId: "s-4", locale: "en_US", messages: [], pending: null };
  assert.doesNotThrow(() => new TabCopy(() => state, { storage }).save());
});
