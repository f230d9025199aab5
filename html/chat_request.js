// One message sent with POST /chat: the request the page makes, the time it waits for the reply,
// and what came of it (the reply to show, or the reason shown instead; replies.js reads both).

import { isSessionId } from "./conversation.js";
import { failure } from "./replies.js";

/**
 * Send `text` and wait at most `timeoutSeconds` for the reply. controller: its AbortController
 * (the page aborts it to leave the conversation). errors: the page's error strings.
 *
 * Resolves {ok: true, body, sessionId, conversationToken} (the last two null unless the reply
 * carries sound ones), or {ok: false, reason, status?, seconds?, detail?}: the reason is
 * "timeout" or "network" when no reply came, else what replies.failure makes of the reply.
 */
export async function postChat({
  url, text, sessionId, locale, controller, timeoutSeconds, errors, fetchImpl = globalThis.fetch,
}) {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutSeconds * 1000);
  try {
    const response = await fetchImpl(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ text, sessionId, locale, stream: true }),
      signal: controller.signal,
      cache: "no-store",
      credentials: "same-origin",
    });
    let body = null;
    try {
      body = await response.json();
    } catch (error) {
      if (controller.signal.aborted) {
        throw error;
      }
    }
    if (response.ok && body && typeof body === "object" && !body.error) {
      return { ok: true, body, ...replyIds(body) };
    }
    return { ok: false, ...failure(response.status, body, response.headers, errors) };
  } catch {
    return { ok: false, reason: timedOut ? "timeout" : "network" };
  } finally {
    clearTimeout(timer);
  }
}

/** The session id and conversation token a reply hands the page (the token comes once, on a first turn). */
function replyIds(body) {
  const token = body.conversation && typeof body.conversation.token === "string" && body.conversation.token
    ? body.conversation.token : null;
  return { sessionId: isSessionId(body.sessionId) ? body.sessionId : null, conversationToken: token };
}

/**
 * The page's one message out at a time: send() resolves postChat's outcome, or null when the page
 * cancelled it meanwhile (New chat, another tab's conversation): that reply belongs to a
 * conversation the page has left.
 */
export class Outbox {
  constructor({ post = postChat } = {}) {
    this.post = post;
    this.current = null; // { controller } while a request is out
  }

  /** Whether a message is out, waiting for its reply. */
  get waiting() {
    return this.current !== null;
  }

  /** Send one message: the fields of postChat but the controller (the outbox makes it). */
  async send(fields) {
    const request = { controller: new AbortController() };
    this.current = request;
    const outcome = await this.post({ ...fields, controller: request.controller });
    if (this.current !== request) {
      return null;
    }
    this.current = null;
    return outcome;
  }

  /** Stop waiting: the request is aborted and its send() resolves null. */
  cancel() {
    const request = this.current;
    this.current = null;
    request?.controller.abort();
  }
}
