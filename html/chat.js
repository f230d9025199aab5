// The chat page: sends POST /chat on its own origin and shows the conversation.
//
// The conversation, the session id (one per tab, crypto.randomUUID) and the chosen locale live in
// sessionStorage, so a reload keeps them and another tab has its own. Text from the user or the
// bot is only ever put in the page as text nodes (bot answers through the Markdown renderer,
// which builds elements); nothing is assigned to innerHTML.

import { renderMarkdown } from "./markdown.js";
import { LOCALE_NAMES, format, strings, uiLanguage } from "./i18n.js";

const STORAGE_KEY = "chatbot.conversation.v1";
const MAX_STORED_MESSAGES = 200;
// The same limit as /chat and Lex, counted the same way: in UTF-16 code units, which is what the
// textarea's maxlength and String.length count (an emoji beyond the BMP counts as two).
const MAX_TEXT = 1024;
const DEFAULT_CONFIG = Object.freeze({
  defaultLocale: "ko_KR",
  locales: ["ko_KR", "en_US"],
  requestTimeoutSeconds: 35,
  chatUrl: "chat",
});

const $ = (id) => document.getElementById(id);
const ui = {
  messages: $("messages"),
  scroller: $("conversation"),
  empty: $("empty"),
  suggestions: $("suggestions"),
  typing: $("typing"),
  form: $("composer"),
  input: $("input"),
  send: $("send"),
  counter: $("counter"),
  newChat: $("new-chat"),
  localeSwitch: $("locale-switch"),
};

let config = DEFAULT_CONFIG;
let state = null; // { sessionId, locale, messages: [...], pending: {text} | null }
let inFlight = null; // { controller, sessionId } while a request is out
let composing = false;

// --- configuration and storage ------------------------------------------------------------------

async function loadConfig() {
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

function newSessionId() {
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

function freshState(locale) {
  return { sessionId: newSessionId(), locale, messages: [], pending: null };
}

function isValidMessage(m) {
  return m && typeof m === "object" && ["user", "bot", "error"].includes(m.role)
    && typeof m.text === "string" && typeof m.time === "string" && typeof m.id === "string";
}

function loadState() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || "null");
    if (saved && typeof saved.sessionId === "string" && /^[0-9a-zA-Z._:-]{2,100}$/.test(saved.sessionId)
        && Array.isArray(saved.messages)) {
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

function saveState() {
  state.messages = state.messages.slice(-MAX_STORED_MESSAGES);
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
  } catch {
    // Storage full or disabled: the conversation still works, it just won't survive a reload.
  }
}

// --- rendering ---------------------------------------------------------------------------------

function t() {
  return strings(state.locale);
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function formatTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return "";
  }
  const lang = uiLanguage(state.locale) === "ko" ? "ko-KR" : "en-US";
  const sameDay = date.toDateString() === new Date().toDateString();
  const options = sameDay
    ? { hour: "numeric", minute: "2-digit" }
    : { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" };
  return new Intl.DateTimeFormat(lang, options).format(date);
}

function errorText(message) {
  const errors = t().errors;
  const values = { status: message.status ?? "?", seconds: message.seconds ?? config.requestTimeoutSeconds };
  if (message.reason === "throttled" && message.seconds) {
    return format(errors.throttledAfter, values);
  }
  const template = Object.hasOwn(errors, message.reason) ? errors[message.reason] : errors.generic;
  return format(template, values);
}

function renderMessage(message) {
  const labels = t();
  const item = el("li", `message ${message.role}`);
  item.dataset.id = message.id;
  if (message.group) {
    item.dataset.group = message.group;
  }
  if (message.source) {
    item.dataset.source = message.source;
  }
  const speaker = message.role === "user" ? labels.you : labels.bot;
  item.append(el("span", "visually-hidden", `${speaker}: `));

  const bubble = el("div", "bubble");
  if (message.role === "user") {
    bubble.textContent = message.text;
  } else if (message.role === "bot") {
    bubble.classList.add("markdown");
    if (message.text) {
      bubble.append(renderMarkdown(message.text));
    } else {
      bubble.append(el("span", "muted", labels.noAnswer));
    }
  } else {
    const title = NOT_SENT_STATUSES.has(message.status) ? labels.errorTitleNotSent : labels.errorTitleNoAnswer;
    bubble.append(el("p", "error-title", title));
    const reason = el("p", "error-reason", errorText(message));
    bubble.append(reason);
    if (message.detail) {
      bubble.append(el("p", "error-detail", message.detail));
    }
    const retry = el("button", "button retry", labels.retry);
    retry.type = "button";
    retry.dataset.retry = message.id;
    retry.disabled = inFlight !== null;
    bubble.append(retry);
  }
  item.append(bubble);

  const meta = el("div", "meta");
  const time = el("time", "", formatTime(message.time));
  time.dateTime = message.time;
  meta.append(time);
  if (message.source === "llm") {
    const badge = el("span", "badge llm");
    badge.title = labels.llmBadgeTitle;
    badge.append(el("span", "", "LLM"));
    badge.append(el("span", "visually-hidden", ` (${labels.llmBadgeSpoken})`));
    meta.append(badge);
  }
  item.append(meta);
  return item;
}

/** Bubbles of one answer read as one: only the last of them shows the time. */
function markGroups() {
  for (const item of ui.messages.children) {
    const next = item.nextElementSibling;
    item.classList.toggle("grouped", Boolean(item.dataset.group) && next?.dataset.group === item.dataset.group);
  }
}

function renderAll() {
  ui.messages.replaceChildren(...state.messages.map(renderMessage));
  markGroups();
  updateEmptyState();
  scrollToEnd();
}

function updateEmptyState() {
  ui.empty.hidden = state.messages.length > 0;
}

function scrollToEnd() {
  ui.scroller.scrollTop = ui.scroller.scrollHeight;
}

function applyLabels() {
  const labels = t();
  document.documentElement.lang = uiLanguage(state.locale);
  document.title = labels.title;
  for (const node of document.querySelectorAll("[data-i18n]")) {
    node.textContent = labels[node.dataset.i18n];
  }
  for (const node of document.querySelectorAll("[data-i18n-label]")) {
    node.setAttribute("aria-label", labels[node.dataset.i18nLabel]);
  }
  for (const node of document.querySelectorAll("[data-i18n-title]")) {
    node.title = labels[node.dataset.i18nTitle];
  }
  ui.input.placeholder = labels.placeholder;
  ui.suggestions.replaceChildren(
    ...labels.suggestions.map((text) => {
      const chip = el("button", "chip", text);
      chip.type = "button";
      chip.dataset.suggestion = text;
      return chip;
    }),
  );
  for (const button of ui.localeSwitch.querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.dataset.locale === state.locale));
  }
  updateCounter();
}

function buildLocaleSwitch() {
  ui.localeSwitch.replaceChildren(
    ...config.locales.map((locale) => {
      const button = el("button", "locale", LOCALE_NAMES[locale] || locale);
      button.type = "button";
      button.dataset.locale = locale;
      button.lang = uiLanguage(locale);
      return button;
    }),
  );
  ui.localeSwitch.hidden = config.locales.length < 2;
}

function updateControls() {
  const busy = inFlight !== null;
  ui.send.disabled = busy || ui.input.value.trim() === "";
  ui.send.setAttribute("aria-busy", String(busy));
  ui.typing.hidden = !busy;
  for (const button of ui.messages.querySelectorAll("button[data-retry]")) {
    button.disabled = busy;
  }
  for (const chip of ui.suggestions.querySelectorAll("button")) {
    chip.disabled = busy;
  }
}

function updateCounter() {
  const length = ui.input.value.length;
  ui.counter.hidden = length < MAX_TEXT * 0.8;
  ui.counter.textContent = format(t().counter, { n: length, max: MAX_TEXT });
}

function autoGrow() {
  ui.input.style.height = "auto";
  ui.input.style.height = `${Math.min(ui.input.scrollHeight, 200)}px`;
}

// --- conversation ------------------------------------------------------------------------------

let counter = 0;
function messageId() {
  counter += 1;
  return `${Date.now().toString(36)}-${counter}`;
}

function addMessage(fields) {
  const message = { id: messageId(), time: new Date().toISOString(), ...fields };
  state.messages.push(message);
  saveState();
  ui.messages.append(renderMessage(message));
  markGroups();
  updateEmptyState();
  scrollToEnd();
  return message;
}

function removeMessage(id) {
  state.messages = state.messages.filter((m) => m.id !== id);
  saveState();
  ui.messages.querySelector(`li[data-id="${CSS.escape(id)}"]`)?.remove();
}

// Who wrote an answer (/chat's `source`): only "llm" gets the LLM badge; a "notice" (the fallback's
// own fixed message, e.g. no LLM configured) and a "handler" answer are not the LLM's.
const SOURCES = ["lex", "llm", "handler", "notice"];
// Statuses with which the API refuses a message before the bot runs it: only then was the message
// "not sent". After a timeout, a dropped connection, a 5xx or a reload it may well have been.
const NOT_SENT_STATUSES = new Set([400, 409, 413, 415, 429]);

/** The bot bubbles for one 200 answer: Lex messages one by one, an LLM answer or a notice as one. */
function answerBubbles(body) {
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
  const group = contents.length > 1 ? messageId() : undefined;
  return contents.map((text) => ({ role: "bot", text, source, group }));
}

function failure(status, body, headers) {
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
  if (code && Object.hasOwn(t().errors, code)) {
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

async function send(text, { retryOf = null } = {}) {
  const trimmed = text.trim();
  if (inFlight !== null || trimmed === "") {
    return;
  }
  if (retryOf) {
    removeMessage(retryOf);
  } else {
    addMessage({ role: "user", text: trimmed });
  }
  const controller = new AbortController();
  const request = { controller, sessionId: state.sessionId, timedOut: false };
  inFlight = request;
  state.pending = { text: trimmed };
  saveState();
  updateControls();
  scrollToEnd();
  const timer = setTimeout(() => {
    request.timedOut = true;
    controller.abort();
  }, config.requestTimeoutSeconds * 1000);

  let outcome;
  try {
    const response = await fetch(config.chatUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ text: trimmed, sessionId: request.sessionId, locale: state.locale }),
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
      outcome = { ok: true, body };
    } else {
      outcome = { ok: false, ...failure(response.status, body, response.headers) };
    }
  } catch {
    outcome = { ok: false, reason: request.timedOut ? "timeout" : "network" };
  } finally {
    clearTimeout(timer);
  }

  if (inFlight !== request || request.sessionId !== state.sessionId) {
    return; // cancelled by "New chat": this answer belongs to a conversation that is gone
  }
  inFlight = null;
  state.pending = null;
  if (outcome.ok) {
    const body = outcome.body;
    if (typeof body.sessionId === "string" && /^[0-9a-zA-Z._:-]{2,100}$/.test(body.sessionId)) {
      state.sessionId = body.sessionId;
    }
    for (const bubble of answerBubbles(body)) {
      addMessage(bubble);
    }
  } else {
    const { ok, ...details } = outcome;
    addMessage({ role: "error", text: trimmed, seconds: details.seconds ?? null, ...details });
  }
  saveState();
  updateControls();
}

function startNewChat() {
  if (inFlight !== null) {
    const request = inFlight;
    inFlight = null;
    request.controller.abort();
  }
  state = freshState(state.locale);
  saveState();
  renderAll();
  updateControls();
  ui.input.focus();
}

function switchLocale(locale) {
  if (!config.locales.includes(locale) || locale === state.locale) {
    return;
  }
  state.locale = locale;
  saveState();
  applyLabels();
  renderAll();
  updateControls();
}

// --- events ------------------------------------------------------------------------------------

function submitInput() {
  if (inFlight !== null) {
    return;
  }
  const text = ui.input.value;
  if (!text.trim()) {
    return;
  }
  ui.input.value = "";
  autoGrow();
  updateCounter();
  send(text);
  ui.input.focus();
}

function wireEvents() {
  ui.form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitInput();
  });
  ui.input.addEventListener("compositionstart", () => {
    composing = true;
  });
  ui.input.addEventListener("compositionend", () => {
    composing = false;
  });
  ui.input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.shiftKey) {
      return;
    }
    // Enter that confirms an IME composition (Korean, Japanese...) must not send.
    if (event.isComposing || composing || event.keyCode === 229) {
      return;
    }
    event.preventDefault();
    submitInput();
  });
  ui.input.addEventListener("input", () => {
    autoGrow();
    updateCounter();
    updateControls();
  });
  ui.messages.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-retry]");
    if (!button) {
      return;
    }
    const message = state.messages.find((m) => m.id === button.dataset.retry);
    if (message) {
      send(message.text, { retryOf: message.id });
      ui.input.focus();
    }
  });
  ui.suggestions.addEventListener("click", (event) => {
    const chip = event.target.closest("button[data-suggestion]");
    if (chip) {
      send(chip.dataset.suggestion);
      ui.input.focus();
    }
  });
  ui.newChat.addEventListener("click", startNewChat);
  ui.localeSwitch.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-locale]");
    if (button) {
      switchLocale(button.dataset.locale);
    }
  });
}

async function start() {
  config = await loadConfig();
  state = loadState();
  if (state.pending) {
    // The page was reloaded while waiting: offer to send that message again.
    const text = state.pending.text;
    state.pending = null;
    addMessage({ role: "error", text, reason: "interrupted" });
  }
  saveState();
  buildLocaleSwitch();
  applyLabels();
  renderAll();
  wireEvents();
  updateControls();
  document.body.dataset.ready = "true";
  ui.input.focus();
}

start();
