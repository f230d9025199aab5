// html/answer_stream.js: the loop that reads one answer, against a fake fetch whose bodies arrive
// in chunks: one long response (local mode), long-poll re-requests (AWS), errors and backoff.
import assert from "node:assert/strict";
import { test } from "node:test";

import { AnswerStreamError, answerUrl, backoffMs, readAnswer } from "../../../html/answer_stream.js";

const encoder = new TextEncoder();
const BASE = "http://127.0.0.1:9/";

const delta = (id, text) => `event: delta\nid: ${id}\ndata: ${JSON.stringify({ text })}\n\n`;
const end = (id, status = "done", notice = null) =>
  `event: end\nid: ${id}\ndata: ${JSON.stringify({ status, errorKind: null, finishReason: "stop", notice })}\n\n`;

/** A Response whose body is these pieces (strings, or {pause: ms}, or {error: message}). */
function sse(pieces, { status = 200, headers = {} } = {}) {
  const queue = [...pieces];
  const body = new ReadableStream({
    async pull(controller) {
      const piece = queue.shift();
      if (piece === undefined) {
        controller.close();
      } else if (typeof piece === "string") {
        controller.enqueue(encoder.encode(piece));
      } else if (piece.pause) {
        await new Promise((resolve) => setTimeout(resolve, piece.pause));
        if (queue.length) {
          controller.enqueue(encoder.encode(queue.shift()));
        }
      } else if (piece.error) {
        controller.error(new TypeError(piece.error));
      } else if (piece.hang) {
        await new Promise(() => {});
      }
    },
  });
  return new Response(body, { status, headers: { "Content-Type": "text/event-stream", ...headers } });
}

/** A fake fetch answering each request with the next scripted reply (a Response, an Error, or a function). */
function fakeFetch(replies) {
  const calls = [];
  const fetchImpl = async (url, init) => {
    calls.push({ url, init, after: Number(new URL(url).searchParams.get("after")) });
    const reply = replies.shift();
    if (reply === undefined) {
      throw new Error(`unexpected request ${url}`);
    }
    if (reply instanceof Error) {
      throw reply;
    }
    return typeof reply === "function" ? reply(init) : reply;
  };
  return { fetchImpl, calls };
}

function recorder() {
  const texts = [];
  const retries = [];
  const sleeps = [];
  return {
    texts,
    retries,
    sleeps,
    onDelta: (text, cursor) => texts.push([text, cursor]),
    onRetry: (info) => retries.push(info),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
}

function read(fetchImpl, rec, extra = {}) {
  return readAnswer({
    url: "/chat/answers/a1",
    token: "tok-123",
    base: BASE,
    fetchImpl,
    onDelta: rec.onDelta,
    onRetry: rec.onRetry,
    sleep: rec.sleep,
    random: () => 1,
    ...extra,
  });
}

test("local mode: one response streams every delta then the end event", async () => {
  const { fetchImpl, calls } = fakeFetch([sse([delta(1, "Hel"), { pause: 5 }, delta(2, "lo"), end(2)])]);
  const rec = recorder();
  const result = await read(fetchImpl, rec);
  assert.deepEqual(result, { status: "done", errorKind: null, finishReason: "stop", notice: null, cursor: 2 });
  assert.deepEqual(rec.texts, [["Hel", 1], ["lo", 2]]);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].url, `${BASE}chat/answers/a1?after=0`);
  assert.equal(calls[0].init.headers["X-Answer-Token"], "tok-123");
  assert.equal(calls[0].init.method, "GET");
  assert.deepEqual(rec.sleeps, []);
});

test("long poll: re-requests with after=<last id> until end, without waiting between polls", async () => {
  let clock = 0;
  const { fetchImpl, calls } = fakeFetch([
    sse([delta(1, "a"), delta(2, "b")]), // returned as soon as there was text
    () => {
      clock += 20_000; // 20 s of nothing but a keep-alive
      return sse([": keep-alive\n\n"]);
    },
    sse([delta(3, "c"), end(3)]),
  ]);
  const rec = recorder();
  const result = await read(fetchImpl, rec, { now: () => clock, cursor: 0 });
  assert.equal(result.status, "done");
  assert.deepEqual(calls.map((c) => c.after), [0, 2, 2]);
  assert.equal(rec.texts.map(([t]) => t).join(""), "abc");
  assert.deepEqual(rec.sleeps, []);
});

test("resuming from a cursor asks for what follows it and skips pieces already shown", async () => {
  const { fetchImpl, calls } = fakeFetch([sse([delta(4, "dup"), delta(5, "new"), end(6, "stopped", "Stopped.")])]);
  const rec = recorder();
  const result = await read(fetchImpl, rec, { cursor: 4 });
  assert.equal(calls[0].after, 4);
  assert.deepEqual(rec.texts, [["new", 5]]);
  assert.deepEqual(result, { status: "stopped", errorKind: null, finishReason: "stop", notice: "Stopped.", cursor: 6 });
});

test("network errors are retried with a growing, bounded backoff from the same cursor", async () => {
  const { fetchImpl, calls } = fakeFetch([
    sse([delta(1, "x")]),
    new TypeError("Failed to fetch"),
    new TypeError("Failed to fetch"),
    sse([end(1)]),
  ]);
  const rec = recorder();
  const result = await read(fetchImpl, rec, { now: () => 0, retry: { attempts: 3, baseMs: 100, maxMs: 150 } });
  assert.equal(result.status, "done");
  assert.deepEqual(calls.map((c) => c.after), [0, 1, 1, 1]);
  assert.deepEqual(rec.sleeps, [100, 150]);
  assert.deepEqual(rec.retries.map((r) => [r.attempt, r.reason]), [[1, "network"], [2, "network"]]);
});

test("a 503 backs off, a 429 waits as long as Retry-After says", async () => {
  const { fetchImpl } = fakeFetch([
    new Response("{}", { status: 503 }),
    new Response("{}", { status: 429, headers: { "Retry-After": "3" } }),
    sse([delta(1, "ok"), end(1)]),
  ]);
  const rec = recorder();
  await read(fetchImpl, rec);
  assert.deepEqual(rec.sleeps, [500, 3000]);
  assert.deepEqual(rec.retries.map((r) => r.reason), ["http", "throttled"]);
});

test("after the last attempt it gives up with the cursor it reached", async () => {
  const { fetchImpl, calls } = fakeFetch([
    sse([delta(1, "kept")]),
    ...Array.from({ length: 4 }, () => new TypeError("down")),
  ]);
  const rec = recorder();
  await assert.rejects(read(fetchImpl, rec, { now: () => 0, retry: { attempts: 3, baseMs: 10, maxMs: 10 } }), (error) => {
    assert.ok(error instanceof AnswerStreamError);
    assert.equal(error.reason, "gave_up");
    assert.equal(error.cursor, 1);
    return true;
  });
  assert.equal(calls.length, 5);
  assert.equal(rec.sleeps.length, 3);
});

test("404 (unknown answer or wrong token) ends at once, without retrying", async () => {
  const { fetchImpl, calls } = fakeFetch([new Response('{"error":{"code":"answer_not_found"}}', { status: 404 })]);
  const rec = recorder();
  await assert.rejects(read(fetchImpl, rec), (error) => error.reason === "not_found" && error.status === 404);
  assert.equal(calls.length, 1);
});

test("a stream cut after new text is asked again at once; one cut before any text backs off", async () => {
  const { fetchImpl, calls } = fakeFetch([
    sse([delta(1, "one "), { error: "network error" }]),
    sse([{ error: "network error" }]),
    sse([delta(2, "two"), end(2)]),
  ]);
  const rec = recorder();
  await read(fetchImpl, rec);
  assert.deepEqual(calls.map((c) => c.after), [0, 1, 1]);
  assert.equal(rec.sleeps.length, 1);
  assert.equal(rec.texts.map(([t]) => t).join(""), "one two");
});

test("a quick empty response is not a long poll: it backs off instead of spinning", async () => {
  const { fetchImpl } = fakeFetch([sse([]), sse([": keep-alive\n\n"]), sse([end(0)])]);
  const rec = recorder();
  await read(fetchImpl, rec, { now: () => 0 });
  assert.deepEqual(rec.retries.map((r) => r.reason), ["empty", "empty"]);
});

test("a response silent for longer than idleMs is abandoned and asked again", async () => {
  const { fetchImpl, calls } = fakeFetch([
    (init) => {
      // A body that never sends anything: only the abort ends it.
      const body = new ReadableStream({
        start(controller) {
          init.signal.addEventListener("abort", () => controller.error(init.signal.reason));
        },
      });
      return new Response(body, { status: 200 });
    },
    sse([delta(1, "back"), end(1)]),
  ]);
  const rec = recorder();
  const started = Date.now();
  const result = await read(fetchImpl, rec, { idleMs: 60 });
  assert.equal(result.status, "done");
  assert.equal(calls.length, 2);
  assert.equal(rec.retries[0].reason, "idle");
  assert.ok(Date.now() - started < 2000);
});

test("a delta that is not JSON is not shown: the same cursor is asked again", async () => {
  const { fetchImpl, calls } = fakeFetch([
    sse([delta(1, "good "), "event: delta\nid: 2\ndata: {not json\n\n", delta(3, "never")]),
    sse([delta(2, "fine"), end(2)]),
  ]);
  const rec = recorder();
  await read(fetchImpl, rec);
  assert.deepEqual(calls.map((c) => c.after), [0, 1]);
  assert.equal(rec.texts.map(([t]) => t).join(""), "good fine");
});

test("aborting the signal ends reading, also while waiting to retry", async () => {
  const controller = new AbortController();
  const { fetchImpl } = fakeFetch([new TypeError("down"), new TypeError("down")]);
  const pending = readAnswer({
    url: "/chat/answers/a1",
    token: "t",
    base: BASE,
    fetchImpl,
    signal: controller.signal,
    retry: { attempts: 5, baseMs: 10_000, maxMs: 10_000 },
  });
  setTimeout(() => controller.abort(), 20);
  await assert.rejects(pending, (error) => error.reason === "aborted");
});

test("answerUrl keeps the path and sets after; backoff doubles up to its cap", () => {
  assert.equal(answerUrl("/chat/answers/x?after=3", 7, BASE), `${BASE}chat/answers/x?after=7`);
  assert.equal(answerUrl("chat/answers/x", 0, "http://h/app/"), "http://h/app/chat/answers/x?after=0");
  const retry = { attempts: 9, baseMs: 100, maxMs: 1000 };
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, retry, () => 1)), [100, 200, 400, 800, 1000, 1000]);
  assert.equal(backoffMs(1, retry, () => 0), 50);
});
