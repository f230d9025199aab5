// html/page_state.js: the tab's copy of the conversation is read back only as far as it is sound.
import assert from "node:assert/strict";
import { test } from "node:test";

import "./dom.mjs";
import { TAB_KEY } from "../../../html/conversation.js";
import { DEFAULT_CONFIG, freshState, loadState } from "../../../html/page_state.js";

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
