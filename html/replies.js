// What the page makes of the server's replies to POST /chat: the bot bubbles of an answer, the
// handle of a streamed answer, and the reason shown when a request failed.

// Who wrote an answer (/chat's `source`): only "llm" gets the LLM badge; a "notice" (the fallback's
// own fixed message, e.g. no LLM configured) and a "handler" answer are not the LLM's.
export const SOURCES = ["lex", "llm", "handler", "notice"];
// Statuses with which the API refuses a message before the bot runs it: only then was the message
// "not sent". After a timeout, a dropped connection, a 5xx or a reload it may well have been.
export const NOT_SENT_STATUSES = new Set([400, 409, 413, 415, 429]);

/** The bot bubbles for one 200 answer: Lex messages one by one, an LLM answer or a notice as one
 * (bubbles of one answer share a group id from newGroupId()). */
export function answerBubbles(body, newGroupId) {
  const source = SOURCES.includes(body.source) ? body.source : "lex";
  const contents = Array.isArray(body.messages)
    ? body.messages.filter((m) => m && typeof m.content === "string" && m.content).map((m) => m.content)
    : [];
  if (contents.length === 0 && typeof body.msg === "string" && body.msg) {
    contents.push(body.msg);
  }
  if (contents.length === 0) {
    return [{ role: "bot", text: "", source }];
  }
  if (source === "llm" || source === "notice") {
    return [{ role: "bot", text: contents.join("\n\n"), source }];
  }
  const group = contents.length > 1 ? newGroupId() : undefined;
  return contents.map((text) => ({ role: "bot", text, source, group }));
}

export function failure(status, body, headers, errors) {
  const code = body && typeof body === "object" && body.error && typeof body.error.code === "string"
    ? body.error.code : null;
  const serverMessage = body && typeof body === "object"
    ? (body.error && typeof body.error.message === "string" ? body.error.message
      : typeof body.message === "string" ? body.message : "")
    : "";
  if (status === 429) {
    const retryAfter = Number.parseInt(headers.get("Retry-After") || "", 10);
    return { reason: "throttled", status, seconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null };
  }
  if (code && Object.hasOwn(errors, code)) {
    return { reason: code, status, detail: `HTTP ${status} · ${code}` };
  }
  if (status === 409) {
    return { reason: "session_busy", status };
  }
  if (status === 413) {
    return { reason: "payload_too_large", status };
  }
  if (status === 502 || status === 503) {
    return { reason: "upstream_failed", status, detail: serverMessage };
  }
  if (status === 504) {
    return { reason: "upstream_timeout", status };
  }
  if (body === null) {
    return { reason: "bad_response", status };
  }
  return { reason: "generic", status, detail: serverMessage };
}

/** The handle of a streamed answer in a /chat or regenerate reply, or null. */
export function answerHandle(value) {
  return value && typeof value === "object" && typeof value.id === "string" && value.id
    && typeof value.token === "string" && value.token && typeof value.url === "string" && value.url
    ? { id: value.id, token: value.token, url: value.url } : null;
}

/**
 * The bot messages (their fields) for one 200 reply to POST /chat: a streamed answer's message,
 * empty and pending, to read it into (its `answer` record: the handle and where reading stands),
 * or the answer's bubbles.
 */
export function replyMessages(body, newGroupId) {
  const handle = answerHandle(body.answer);
  if (handle) {
    return [{ role: "bot", source: "llm", text: "", answer: { ...handle, cursor: 0, status: "pending", notice: null } }];
  }
  return answerBubbles(body, newGroupId);
}
