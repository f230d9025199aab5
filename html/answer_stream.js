// Reads one streamed answer: GET <url>?after=<cursor> with the X-Answer-Token header, parsed as
// Server-Sent Events, until the answer's `end` event.
//
// The same loop serves both servers: the local dev server streams every delta in one response,
// while in AWS the route is a buffered long poll that returns as soon as there is new text (or
// after ~20 s with only a keep-alive) and is asked again with after=<the last id>. A cut
// connection, a 5xx or a 429 is retried from the cursor with a bounded, growing backoff; a
// response that stays silent longer than `idleMs` (the server sends a keep-alive every 15 s) is
// abandoned and asked again. A delta at or before the cursor (read twice after a retry) is skipped,
// so the text never repeats.

import { SseParser } from "./sse.js";

export const DEFAULT_RETRY = Object.freeze({ attempts: 6, baseMs: 500, maxMs: 8000 });
const DEFAULT_IDLE_MS = 45_000;
// A response without new text that ended sooner than this was no long poll: back off before the next.
const QUICK_EMPTY_MS = 1000;
const END_STATUSES = new Set(["done", "stopped", "failed"]);

/** Why reading stopped without an `end` event. reason: "not_found", "gave_up", "aborted", "bad_request". */
export class AnswerStreamError extends Error {
  constructor(reason, { status = null, cursor = 0, cause = null } = {}) {
    super(`answer stream: ${reason}${status ? ` (HTTP ${status})` : ""}`);
    this.name = "AnswerStreamError";
    this.reason = reason;
    this.status = status;
    this.cursor = cursor;
    this.cause = cause;
  }
}

/** The URL to read after `cursor`, keeping any query the server put in `url`. */
export function answerUrl(url, cursor, base = globalThis.location?.href) {
  const target = new URL(url, base ?? "http://localhost/");
  target.searchParams.set("after", String(cursor));
  return base ? target.href : `${target.pathname}${target.search}`;
}

/** Milliseconds to wait before attempt `failures` (1, 2, ...): doubling from baseMs up to maxMs, with jitter. */
export function backoffMs(failures, retry = DEFAULT_RETRY, random = Math.random) {
  const plain = Math.min(retry.maxMs, retry.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(plain * (0.5 + random() / 2));
}

function abortableSleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal.reason);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function retryAfterMs(response) {
  const seconds = Number.parseInt(response.headers?.get?.("Retry-After") || "", 10);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null;
}

function parseJson(data) {
  try {
    const value = JSON.parse(data);
    return value && typeof value === "object" ? value : null;
  } catch {
    return null;
  }
}

function endOf(data, cursor) {
  return {
    status: data.status,
    errorKind: typeof data.errorKind === "string" ? data.errorKind : null,
    finishReason: typeof data.finishReason === "string" ? data.finishReason : null,
    notice: typeof data.notice === "string" && data.notice ? data.notice : null,
    cursor,
  };
}

/**
 * Read the answer at `url` from `cursor` until it ends.
 *
 * onDelta(text, cursor) is called for each new piece of text; onRetry({attempt, delayMs, reason})
 * before each wait for a retry; onProgress() whenever bytes arrive. Resolves with the end event
 * ({status, errorKind, finishReason, notice, cursor}); rejects with an AnswerStreamError.
 */
export async function readAnswer({
  url,
  token,
  cursor = 0,
  signal = undefined,
  onDelta = () => {},
  onRetry = () => {},
  onProgress = () => {},
  fetchImpl = (...args) => globalThis.fetch(...args),
  sleep = abortableSleep,
  retry = DEFAULT_RETRY,
  idleMs = DEFAULT_IDLE_MS,
  random = Math.random,
  now = () => Date.now(),
  base = globalThis.location?.href,
}) {
  let failures = 0;
  const aborted = () => new AnswerStreamError("aborted", { cursor });

  async function failed(reason, status = null, waitMs = null) {
    failures += 1;
    if (failures > retry.attempts) {
      throw new AnswerStreamError("gave_up", { status, cursor, cause: reason });
    }
    const delayMs = waitMs ?? backoffMs(failures, retry, random);
    onRetry({ attempt: failures, delayMs, reason });
    try {
      await sleep(delayMs, signal);
    } catch {
      throw aborted();
    }
  }

  for (;;) {
    if (signal?.aborted) {
      throw aborted();
    }
    const attempt = new AbortController();
    const forward = () => attempt.abort(signal.reason);
    signal?.addEventListener("abort", forward, { once: true });
    let idleTimer = null;
    let idle = false;
    const touch = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        idle = true;
        attempt.abort(new Error("idle"));
      }, idleMs);
    };
    let outcome; // {end} | {retry: reason, status?, waitMs?} | {again: true}
    try {
      touch();
      outcome = await readOnce();
    } finally {
      clearTimeout(idleTimer);
      signal?.removeEventListener("abort", forward);
    }
    if (outcome.end) {
      return outcome.end;
    }
    if (outcome.again) {
      continue;
    }
    await failed(outcome.retry, outcome.status ?? null, outcome.waitMs ?? null);

    // One request; never throws except for "not found"/"bad request"/aborted.
    async function readOnce() {
      const startedAt = now();
      let response;
      try {
        response = await fetchImpl(answerUrl(url, cursor, base), {
          method: "GET",
          headers: { "X-Answer-Token": token, Accept: "text/event-stream" },
          cache: "no-store",
          credentials: "same-origin",
          signal: attempt.signal,
        });
      } catch (error) {
        if (signal?.aborted) {
          throw aborted();
        }
        return { retry: idle ? "idle" : "network", error };
      }
      if (response.status === 404) {
        throw new AnswerStreamError("not_found", { status: 404, cursor });
      }
      if (response.status === 400) {
        throw new AnswerStreamError("bad_request", { status: 400, cursor });
      }
      if (response.status === 429) {
        return { retry: "throttled", status: 429, waitMs: retryAfterMs(response) };
      }
      if (!response.ok || !response.body) {
        return { retry: "http", status: response.status };
      }
      const parser = new SseParser();
      const reader = response.body.getReader();
      let progressed = false;
      let heard = false;
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) {
            break;
          }
          touch();
          onProgress();
          for (const item of parser.push(value)) {
            if (item.type === "comment") {
              heard = true;
              continue;
            }
            const data = parseJson(item.data);
            const id = /^\d+$/.test(item.id) ? Number(item.id) : null;
            if (item.event === "delta") {
              if (!data || typeof data.text !== "string") {
                // A piece we cannot read: ask again from the last good cursor rather than skip text.
                reader.cancel().catch(() => {});
                return { retry: "bad_event" };
              }
              heard = true;
              if (id !== null && id <= cursor) {
                continue; // already shown (read again after a retry)
              }
              if (id !== null) {
                cursor = id;
              }
              progressed = true;
              failures = 0;
              onDelta(data.text, cursor);
            } else if (item.event === "end") {
              if (!data || !END_STATUSES.has(data.status)) {
                reader.cancel().catch(() => {});
                return { retry: "bad_event" };
              }
              if (id !== null && id > cursor) {
                cursor = id;
              }
              reader.cancel().catch(() => {});
              return { end: endOf(data, cursor) };
            } else {
              heard = true; // an event of a kind this page does not know: not an error
            }
          }
        }
      } catch (error) {
        if (signal?.aborted) {
          throw aborted();
        }
        return progressed ? { again: true } : { retry: idle ? "idle" : "network", error };
      }
      parser.finish();
      // The response ended without `end`: a long poll's normal return (new text, or ~20 s of only
      // keep-alives), or a cut stream. One that brought nothing new at once is retried with backoff.
      if (progressed || (heard && now() - startedAt >= QUICK_EMPTY_MS)) {
        return { again: true };
      }
      return { retry: "empty" };
    }
  }
}
