// Where the page keeps a conversation: the browser's storage and the server's copy.
//
// localStorage holds {sessionId, conversationToken, locale} for the whole browser, so a reload, a
// closed tab or a new tab reopens the same conversation; the token (sent once, in the reply to
// the session's first turn) lets the page read the conversation back from the server with
// GET /chat/conversations/{sessionId}. sessionStorage keeps the tab's own copy of the messages,
// shown when the server has nothing (no store configured, expired, unreachable).

export const SESSION_KEY = "chatbot.session.v1";
export const TAB_KEY = "chatbot.conversation.v1";
const SESSION_ID = /^[0-9a-zA-Z._:-]{2,100}$/;
export const ACTIVE_STATUSES = new Set(["pending", "running"]);
const ANSWER_STATUSES = new Set(["pending", "running", "done", "stopped", "failed"]);

export function isSessionId(value) {
  return typeof value === "string" && SESSION_ID.test(value);
}

/** {sessionId, conversationToken, locale} from localStorage, or null. */
export function readSession(storage = globalThis.localStorage) {
  try {
    const saved = JSON.parse(storage.getItem(SESSION_KEY) || "null");
    if (saved && isSessionId(saved.sessionId)) {
      return {
        sessionId: saved.sessionId,
        conversationToken: typeof saved.conversationToken === "string" && saved.conversationToken
          ? saved.conversationToken : null,
        locale: typeof saved.locale === "string" ? saved.locale : null,
      };
    }
  } catch {
    // Unreadable or disabled storage: as if nothing was kept.
  }
  return null;
}

export function writeSession(session, storage = globalThis.localStorage) {
  try {
    storage.setItem(SESSION_KEY, JSON.stringify({
      sessionId: session.sessionId,
      conversationToken: session.conversationToken ?? null,
      locale: session.locale ?? null,
    }));
  } catch {
    // Storage full or disabled: this tab still works, a new one starts afresh.
  }
}

/** An ISO time for a transcript's `at` (ISO text, or seconds or milliseconds since 1970). */
export function isoTime(at) {
  let date;
  if (typeof at === "number" && Number.isFinite(at)) {
    date = new Date(at < 1e12 ? at * 1000 : at);
  } else if (typeof at === "string") {
    date = new Date(/^\d+(\.\d+)?$/.test(at) ? Number(at) * 1000 : at);
  }
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : new Date().toISOString();
}

/** The page's answer record from a transcript turn's `answer` ({id, status, text, cursor, notice}). */
function answerRecord(answer, url) {
  return {
    id: answer.id,
    token: null, // read with the conversation token
    url,
    cursor: Number.isInteger(answer.cursor) && answer.cursor >= 0 ? answer.cursor : 0,
    status: ANSWER_STATUSES.has(answer.status) ? answer.status : "failed",
    notice: typeof answer.notice === "string" && answer.notice ? answer.notice : null,
    errorKind: typeof answer.errorKind === "string" ? answer.errorKind : null,
  };
}

/**
 * The page's messages for a server transcript's turns. `botBubbles(turn)` gives the bubbles of an
 * ordinary answer (as for a /chat reply); `newId()` names each message; `answersUrl` is where
 * answers are read ("/chat/answers").
 */
export function transcriptMessages(turns, { botBubbles, newId, answersUrl }) {
  const messages = [];
  for (const turn of Array.isArray(turns) ? turns : []) {
    if (!turn || typeof turn !== "object") {
      continue;
    }
    const time = isoTime(turn.at);
    if (turn.role === "user" && typeof turn.text === "string") {
      messages.push({ id: newId(), role: "user", text: turn.text, time });
    } else if (turn.role === "bot") {
      const answer = turn.answer && typeof turn.answer === "object" && typeof turn.answer.id === "string"
        ? turn.answer : null;
      if (answer) {
        messages.push({
          id: newId(),
          role: "bot",
          source: "llm",
          text: typeof answer.text === "string" ? answer.text : "",
          time,
          answer: answerRecord(answer, `${answersUrl}/${encodeURIComponent(answer.id)}`),
        });
      } else {
        for (const bubble of botBubbles(turn)) {
          messages.push({ id: newId(), time, ...bubble });
        }
      }
    }
  }
  return messages;
}

/**
 * The server's copy of the conversation: {turns, activeAnswer}, or null when it has none (404:
 * unknown, expired or not this token), cannot be reached, or answers something else.
 */
export async function fetchConversation({ url, sessionId, token, fetchImpl = globalThis.fetch, timeoutMs = 8000 }) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetchImpl(`${url}/${encodeURIComponent(sessionId)}`, {
      method: "GET",
      headers: { "X-Conversation-Token": token, Accept: "application/json" },
      cache: "no-store",
      credentials: "same-origin",
      signal: controller.signal,
    });
    if (!response.ok) {
      return { missing: response.status === 404 };
    }
    const body = await response.json();
    if (!body || typeof body !== "object" || !Array.isArray(body.turns)) {
      return { missing: false };
    }
    return { turns: body.turns, activeAnswer: typeof body.activeAnswer === "string" ? body.activeAnswer : null };
  } catch {
    return { missing: false };
  } finally {
    clearTimeout(timer);
  }
}
