// html/chat_request.js: one POST /chat (what is sent, the wait, what came of it) and the outbox
// that keeps one message out at a time and forgets a reply the page no longer wants.
import assert from "node:assert/strict";
import { test } from "node:test";

import { Outbox, postChat } from "../../../html/chat_request.js";
import { strings } from "../../../html/i18n.js";

const errors = strings("en_US").errors;
const SESSION = "0b8e7c2a-5d1f-4c3e-9a7b-2f6d8e1c4a90";

function recording(reply) {
  const calls = [];
  const fetchImpl = async (url, init) => {
    calls.push({ url, init, body: JSON.parse(init.body) });
    return typeof reply === "function" ? reply(init) : reply;
  };
  return { calls, fetchImpl };
}

const send = (fetchImpl, extra = {}) => postChat({
  url: "chat", text: "hello", sessionId: SESSION, locale: "en_US", controller: new AbortController(),
  timeoutSeconds: 5, errors, fetchImpl, ...extra,
});

/** A fetch that never answers, only rejects when its request is aborted (as fetch does). */
const hanging = (init) => new Promise((_, reject) => {
  init.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
});

test("the request: a JSON POST on the page's origin asking for a streamed answer", async () => {
  const { calls, fetchImpl } = recording(Response.json({ sessionId: SESSION, messages: [] }));
  await send(fetchImpl);
  assert.equal(calls.length, 1);
  const [{ url, init, body }] = calls;
  assert.equal(url, "chat");
  assert.equal(init.method, "POST");
  assert.equal(init.headers["Content-Type"], "application/json");
  assert.equal(init.credentials, "same-origin");
  assert.equal(init.cache, "no-store");
  assert.deepEqual(body, { text: "hello", sessionId: SESSION, locale: "en_US", stream: true });
});

test("a 200 reply: its body, with the session id and conversation token only when sound", async () => {
  const good = recording(Response.json({ sessionId: SESSION, conversation: { token: "ct-1" }, messages: [] }));
  const outcome = await send(good.fetchImpl);
  assert.equal(outcome.ok, true);
  assert.equal(outcome.sessionId, SESSION);
  assert.equal(outcome.conversationToken, "ct-1");
  assert.deepEqual(outcome.body.messages, []);
  const odd = recording(Response.json({ sessionId: "<bad id>", conversation: { token: "" } }));
  const plain = await send(odd.fetchImpl);
  assert.deepEqual([plain.ok, plain.sessionId, plain.conversationToken], [true, null, null]);
});

test("a refusal: the reason replies.js makes of it (status, Retry-After)", async () => {
  const busy = recording(Response.json({ error: { code: "session_busy", message: "busy" } }, { status: 409 }));
  assert.deepEqual(await send(busy.fetchImpl), { ok: false, reason: "session_busy", status: 409, detail: "HTTP 409 · session_busy" });
  const throttled = recording(new Response("{}", { status: 429, headers: { "Retry-After": "7" } }));
  assert.deepEqual(await send(throttled.fetchImpl), { ok: false, reason: "throttled", status: 429, seconds: 7 });
  const html = recording(new Response("<html>bad gateway</html>", { status: 200 }));
  assert.deepEqual(await send(html.fetchImpl), { ok: false, reason: "bad_response", status: 200 });
  const errorBody = recording(Response.json({ error: { code: "nope" } }));
  assert.equal((await send(errorBody.fetchImpl)).ok, false, "a 200 carrying an error is no answer");
});

test("no reply: 'network' when the connection fails, 'timeout' when the wait runs out", async () => {
  const down = await send(async () => { throw new TypeError("Failed to fetch"); });
  assert.deepEqual(down, { ok: false, reason: "network" });
  const started = Date.now();
  const slow = await send((url, init) => hanging(init), { timeoutSeconds: 0.05 });
  assert.deepEqual(slow, { ok: false, reason: "timeout" });
  assert.ok(Date.now() - started < 2000);
  const controller = new AbortController();
  const pending = send((url, init) => hanging(init), { controller });
  controller.abort();
  assert.deepEqual(await pending, { ok: false, reason: "network" }, "aborted by the page: not a timeout");
});

test("Outbox: waiting while a message is out; its outcome once the reply comes", async () => {
  let release;
  const outbox = new Outbox({ post: (fields) => new Promise((resolve) => { release = () => resolve({ ok: true, fields }); }) });
  assert.equal(outbox.waiting, false);
  const reply = outbox.send({ text: "hi" });
  assert.equal(outbox.waiting, true);
  release();
  const outcome = await reply;
  assert.equal(outcome.fields.text, "hi");
  assert.ok(outcome.fields.controller instanceof AbortController);
  assert.equal(outbox.waiting, false);
});

test("Outbox: cancel aborts the request and its reply comes back as null", async () => {
  const signals = [];
  const outbox = new Outbox({
    post: (fields) => new Promise((resolve) => {
      signals.push(fields.controller.signal);
      fields.controller.signal.addEventListener("abort", () => resolve({ ok: false, reason: "network" }));
    }),
  });
  const reply = outbox.send({ text: "gone" });
  outbox.cancel();
  assert.equal(outbox.waiting, false);
  assert.equal(signals[0].aborted, true);
  assert.equal(await reply, null);
  outbox.cancel(); // nothing out: nothing happens
});
