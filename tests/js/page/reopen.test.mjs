// html/reopen.js: which conversation a page opens after a reload, in a new tab, or with no server copy,
// and the server's copy replacing what the page shows later.
import assert from "node:assert/strict";
import { test } from "node:test";

import "./dom.mjs";
import { ChatState } from "../../../html/chat_state.js";
import { readSession } from "../../../html/conversation.js";
import { ServerCopy, reopenConversation, serverMessages } from "../../../html/reopen.js";

const LOCALES = ["ko_KR", "en_US"];
const user = (id, text) => ({ id, role: "user", text, time: "t" });
const bot = (id, text) => ({ id, role: "bot", text, time: "t", source: "lex" });
const error = (id, text) => ({ id, role: "error", text, time: "t", reason: "session_busy", status: 409 });

function ids() {
  let n = 0;
  return () => `new${(n += 1)}`;
}

function loader(result) {
  const calls = [];
  return {
    calls,
    load: async (sessionId, token) => {
      calls.push([sessionId, token]);
      return typeof result === "function" ? result() : result;
    },
  };
}

const open = (kept, tab, result) => {
  const server = loader(result);
  return reopenConversation({ kept, tab, locales: LOCALES, load: server.load, newId: ids(), now: () => "now" })
    .then((opened) => ({ ...opened, calls: server.calls }));
};

test("a reload with a token: the server's turns, the tab's trailing errors after them", async () => {
  const tab = { sessionId: "s1", locale: "ko_KR", messages: [user("1", "old"), bot("2", "old answer"), error("3", "refused")], pending: null };
  const { state, conversationToken, calls } = await open(
    { sessionId: "s1", conversationToken: "ct", locale: "en_US" }, tab, [user("a", "q"), bot("b", "a")],
  );
  assert.deepEqual(calls, [["s1", "ct"]]);
  assert.equal(conversationToken, "ct");
  assert.equal(state.locale, "en_US");
  assert.deepEqual(state.messages.map((m) => m.id), ["a", "b", "3"]);
});

test("a new tab: the browser's session, read from the server; nothing of another session's tab copy", async () => {
  const tab = { sessionId: "fresh-tab", locale: "ko_KR", messages: [], pending: null };
  const { state, conversationToken } = await open({ sessionId: "s1", conversationToken: "ct", locale: "en_US" }, tab, [user("a", "q")]);
  assert.equal(state.sessionId, "s1");
  assert.equal(conversationToken, "ct");
  assert.deepEqual(state.messages.map((m) => m.id), ["a"]);
  const other = { sessionId: "s0", locale: "ko_KR", messages: [user("x", "stale")], pending: { text: "p" } };
  const unreachable = await open({ sessionId: "s1", conversationToken: "ct", locale: "xx" }, other, null);
  assert.deepEqual(unreachable.state, { sessionId: "s1", locale: "ko_KR", messages: [], pending: null });
});

test("no server copy (unreachable, or it has nothing yet): the tab shows what it had, no error", async () => {
  const tab = { sessionId: "s1", locale: "ko_KR", messages: [user("1", "q"), bot("2", "a")], pending: null };
  for (const result of [null, []]) {
    const { state, conversationToken } = await open({ sessionId: "s1", conversationToken: "ct", locale: "ko_KR" }, tab, result);
    assert.deepEqual(state.messages.map((m) => m.id), ["1", "2"]);
    assert.equal(conversationToken, "ct");
  }
});

test("an expired or unknown conversation (404) forgets the token and keeps the tab's copy", async () => {
  const tab = { sessionId: "s1", locale: "ko_KR", messages: [user("1", "q")], pending: null };
  const { state, conversationToken } = await open({ sessionId: "s1", conversationToken: "ct", locale: "ko_KR" }, tab, "missing");
  assert.equal(conversationToken, null);
  assert.deepEqual(state.messages.map((m) => m.id), ["1"]);
});

test("without a token the server is not asked (no store, or before the first turn)", async () => {
  const tab = { sessionId: "s1", locale: "en_US", messages: [user("1", "q")], pending: null };
  const first = await open({ sessionId: "s1", conversationToken: null, locale: "en_US" }, tab, [user("z", "never")]);
  assert.deepEqual(first.calls, []);
  assert.deepEqual(first.state.messages.map((m) => m.id), ["1"]);
  const none = await open(null, tab, [user("z", "never")]);
  assert.deepEqual(none.calls, []);
  assert.equal(none.conversationToken, null);
  assert.equal(none.state.sessionId, "s1");
});

test("a message still waiting at the reload is offered again, unless the server has its turn", async () => {
  const tab = { sessionId: "s1", locale: "ko_KR", messages: [user("1", "waiting")], pending: { text: "waiting" } };
  const offline = await open({ sessionId: "s1", conversationToken: "ct", locale: "ko_KR" }, tab, null);
  assert.deepEqual(offline.state.messages.at(-1), { id: "new1", time: "now", role: "error", text: "waiting", reason: "interrupted" });
  assert.equal(offline.state.pending, null);
  const answered = await open({ sessionId: "s1", conversationToken: "ct", locale: "ko_KR" }, tab, [user("a", "waiting"), bot("b", "x")]);
  assert.deepEqual(answered.state.messages.map((m) => m.role), ["user", "bot"]);
  assert.equal(tab.messages.length, 1, "the tab copy passed in is not changed");
});

test("serverMessages: the transcript as messages, 'missing' on 404, null when unreachable", async () => {
  const options = { sessionId: "s1", token: "ct", conversationsUrl: "chat/conversations", answersUrl: "chat/answers", botBubbles: () => [], newId: ids() };
  const ok = await serverMessages({ ...options, fetchImpl: async () => Response.json({ turns: [{ role: "user", text: "hi", at: 0 }] }) });
  assert.deepEqual(ok.map((m) => [m.role, m.text]), [["user", "hi"]]);
  assert.equal(await serverMessages({ ...options, fetchImpl: async () => new Response("{}", { status: 404 }) }), "missing");
  assert.equal(await serverMessages({ ...options, fetchImpl: async () => { throw new TypeError("down"); } }), null);
});

/** A ServerCopy over a fresh ChatState, the server answering `reply(url)` (a Response, or a throw). */
function synced(reply, { kept = null, tab = null } = {}) {
  localStorage.clear();
  sessionStorage.clear();
  const requests = [];
  const chat = new ChatState();
  const server = new ServerCopy(chat, {
    chatUrl: () => "api/chat",
    locales: () => LOCALES,
    readKept: () => kept,
    readTab: () => tab ?? { sessionId: "s1", locale: "ko_KR", messages: [], pending: null },
    fetchImpl: async (url, init) => {
      requests.push([url, init.headers["X-Conversation-Token"]]);
      return reply(url);
    },
  });
  return { chat, server, requests };
}

const transcript = (turns) => () => Response.json({ turns });
const TURNS = [{ role: "user", text: "hi", at: 0 }, { role: "bot", source: "lex", messages: [{ content: "Hello!" }], at: 1 }];

test("ServerCopy.open: the browser's conversation read back from <chatUrl>/conversations, then kept", async () => {
  const { chat, server, requests } = synced(transcript(TURNS), { kept: { sessionId: "s9", conversationToken: "ct9", locale: "en_US" } });
  await server.open();
  assert.deepEqual(requests, [["api/chat/conversations/s9", "ct9"]]);
  assert.equal(chat.sessionId, "s9");
  assert.deepEqual(chat.messages.map((m) => [m.role, m.text]), [["user", "hi"], ["bot", "Hello!"]]);
  assert.equal(new Set(chat.messages.map((m) => m.id)).size, 2);
  assert.deepEqual(readSession(), { sessionId: "s9", conversationToken: "ct9", locale: "en_US" });
});

test("ServerCopy.reload: the server's turns, then what only this tab has; nothing asked without a token", async () => {
  const { chat, server, requests } = synced(transcript(TURNS));
  await server.open();
  assert.equal(await server.reload(), false, "no token yet: the server is not asked");
  assert.deepEqual(requests, []);
  chat.accept({ sessionId: null, conversationToken: "ct1" });
  const refusal = chat.add({ role: "error", text: "again", reason: "session_busy", status: 409 });
  assert.equal(await server.reload({ keep: [refusal] }), true);
  assert.deepEqual(requests, [["api/chat/conversations/s1", "ct1"]]);
  assert.deepEqual(chat.messages.map((m) => m.text), ["hi", "Hello!", "again"]);
});

test("ServerCopy.reload keeps what is shown when the server is unreachable, has nothing, or forgot the session", async () => {
  let reply = () => { throw new TypeError("offline"); };
  const { chat, server } = synced((url) => reply(url));
  await server.open();
  chat.accept({ sessionId: null, conversationToken: "ct1" });
  chat.add({ role: "user", text: "mine" });
  assert.equal(await server.reload(), false);
  reply = transcript([]);
  assert.equal(await server.reload(), false);
  assert.deepEqual(chat.messages.map((m) => m.text), ["mine"]);
  reply = () => new Response("{}", { status: 404 });
  assert.equal(await server.reload(), false);
  assert.equal(chat.token, null, "an expired conversation's token is forgotten");
  assert.equal(readSession().conversationToken, null);
});

test("ServerCopy.reload does nothing when the page left the conversation while it asked", async () => {
  let release;
  const { chat, server } = synced(() => new Promise((resolve) => { release = () => resolve(Response.json({ turns: TURNS })); }));
  await server.open();
  chat.accept({ sessionId: null, conversationToken: "ct1" });
  const reloading = server.reload();
  chat.reset();
  release();
  assert.equal(await reloading, false);
  assert.deepEqual(chat.messages, []);
});
