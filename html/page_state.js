// The page's settings (config.json) and the tab's own copy of the conversation (sessionStorage):
// {sessionId, locale, messages, pending}, each message checked as it is read back, and written
// back at once or, while an answer streams, at most twice a second.

import { TAB_KEY, isSessionId } from "./conversation.js";

export const DEFAULT_CONFIG = Object.freeze({
  defaultLocale: "ko_KR",
  locales: ["ko_KR", "en_US"],
  requestTimeoutSeconds: 35,
  chatUrl: "chat",
});

export async function loadConfig() {
  try {
    const response = await fetch("config.json", { cache: "no-cache", credentials: "same-origin" });
    if (!response.ok) {
      return DEFAULT_CONFIG;
    }
    const raw = await response.json();
    const locales = Array.isArray(raw.locales) && raw.locales.every((l) => typeof l === "string") && raw.locales.length
      ? raw.locales : DEFAULT_CONFIG.locales;
    const defaultLocale = locales.includes(raw.defaultLocale) ? raw.defaultLocale : locales[0];
    const timeout = Number(raw.requestTimeoutSeconds);
    return {
      defaultLocale,
      locales,
      requestTimeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_CONFIG.requestTimeoutSeconds,
      chatUrl: typeof raw.chatUrl === "string" && raw.chatUrl ? raw.chatUrl : DEFAULT_CONFIG.chatUrl,
    };
  } catch {
    return DEFAULT_CONFIG;
  }
}

export function newSessionId() {
  if (typeof crypto.randomUUID === "function") {
    return crypto.randomUUID();
  }
  // Pages served over plain http from another host are not a secure context: build a v4 UUID.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function freshState(locale) {
  return { sessionId: newSessionId(), locale, messages: [], pending: null };
}

function isValidMessage(m) {
  return m && typeof m === "object" && ["user", "bot", "error"].includes(m.role)
    && typeof m.text === "string" && typeof m.time === "string" && typeof m.id === "string"
    && (m.answer === undefined || isValidAnswer(m.answer));
}

function isValidAnswer(a) {
  return a && typeof a === "object" && typeof a.id === "string" && typeof a.url === "string"
    && typeof a.status === "string" && Number.isInteger(a.cursor) && a.cursor >= 0
    && (a.token === null || a.token === undefined || typeof a.token === "string");
}

/** The tab's own copy of the conversation (sessionStorage), or a fresh one. */
export function loadState(config) {
  try {
    const saved = JSON.parse(sessionStorage.getItem(TAB_KEY) || "null");
    if (saved && isSessionId(saved.sessionId) && Array.isArray(saved.messages)) {
      return {
        sessionId: saved.sessionId,
        locale: config.locales.includes(saved.locale) ? saved.locale : config.defaultLocale,
        messages: saved.messages.filter(isValidMessage),
        pending: saved.pending && typeof saved.pending.text === "string" ? saved.pending : null,
      };
    }
  } catch {
    // Unreadable or disabled storage: start afresh.
  }
  return freshState(config.defaultLocale);
}

// The most messages the tab's copy keeps (the oldest go first).
export const MAX_STORED_MESSAGES = 200;

/**
 * Writes the tab's copy of the conversation: at once (save), or once within `delayMs` however
 * often it is asked (saveSoon: a streaming answer changes many times a second). state() gives the
 * state to write; its messages are cut to the last MAX_STORED_MESSAGES.
 */
export class TabCopy {
  constructor(state, { storage = globalThis.sessionStorage, delayMs = 500 } = {}) {
    this.state = state;
    this.storage = storage;
    this.delayMs = delayMs;
    this.timer = null;
  }

  save() {
    clearTimeout(this.timer);
    this.timer = null;
    const state = this.state();
    state.messages = state.messages.slice(-MAX_STORED_MESSAGES);
    try {
      this.storage.setItem(TAB_KEY, JSON.stringify(state));
    } catch {
      // Storage full or disabled: the conversation still works, it just won't survive a reload.
    }
  }

  saveSoon() {
    if (this.timer === null) {
      this.timer = setTimeout(() => this.save(), this.delayMs);
    }
  }
}
