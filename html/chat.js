// The chat page: sends POST /chat on its own origin and shows the conversation.
//
// An LLM answer streams: /chat answers at once with a handle ({id, token, url}) and the page reads
// the text as it is written, rendering it as it grows, with Stop, Copy and Regenerate
// (answer_control.js; its buttons in answer_view.js, each message drawn by message_view.js). The session id (crypto.randomUUID), the conversation
// token and the locale live in localStorage, so a reload, a closed tab or a new tab reopens the
// same conversation from the server (conversation.js); the tab's sessionStorage copy of the
// messages is shown when the server has none. Text from the user or the bot is only ever put in
// the page as text nodes (bot answers through the Markdown renderer, which builds elements);
// nothing is assigned to innerHTML.

import { LOCALE_NAMES, format, strings, uiLanguage } from "./i18n.js";
import { AnswerControl } from "./answer_control.js";
import { isActive } from "./answer_view.js";
import { el, renderMessage as renderOne } from "./message_view.js";
import { answerBubbles, answerHandle, failure } from "./replies.js";
import { patchChildren } from "./stream_render.js";
import {
  SESSION_KEY, TAB_KEY as STORAGE_KEY, isSessionId, readSession, writeSession,
} from "./conversation.js";
import { DEFAULT_CONFIG, freshState, loadConfig, loadState } from "./page_state.js";
import { reopenConversation, serverMessages } from "./reopen.js";

const MAX_STORED_MESSAGES = 200;
// The same limit as /chat and Lex, counted the same way: in UTF-16 code units, which is what the
// textarea's maxlength and String.length count (an emoji beyond the BMP counts as two).
const MAX_TEXT = 1024;

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
  busyHint: $("busy-hint"),
  announcer: $("announcer"),
};

let config = DEFAULT_CONFIG;
let state = null; // { sessionId, locale, messages: [...], pending: {text} | null }
let conversationToken = null; // lets this browser read the conversation back (localStorage)
let inFlight = null; // { controller, sessionId } while a request is out
let composing = false;
const answers = new AnswerControl({
  labels: () => t(),
  token: () => conversationToken,
  messages: () => state.messages,
  item: (message) => itemOf(message),
  refresh: (message) => refreshMessage(message),
  atEnd: () => atEnd(),
  scrollToEnd: () => scrollToEnd(),
  announce: (text) => announce(text),
  saveSoon: () => saveSoon(),
  save: () => saveState(),
  changed: () => updateControls(),
  busy: () => busy(),
  canRegenerate: (message) => message === lastLlmAnswer(),
});

// --- configuration and storage ------------------------------------------------------------------

function saveState() {
  clearTimeout(saveTimer);
  saveTimer = null;
  state.messages = state.messages.slice(-MAX_STORED_MESSAGES);
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
  } catch {
    // Storage full or disabled: the conversation still works, it just won't survive a reload.
  }
}

let saveTimer = null;
/** Save soon (a streaming answer changes many times a second). */
function saveSoon() {
  if (saveTimer === null) {
    saveTimer = setTimeout(saveState, 500);
  }
}

/** The browser-wide record: which conversation this browser is in, and how to read it back. */
function persistSession() {
  writeSession({ sessionId: state.sessionId, conversationToken, locale: state.locale });
}

function answersUrl() {
  return `${config.chatUrl}/answers`;
}

function conversationsUrl() {
  return `${config.chatUrl}/conversations`;
}

// --- rendering ---------------------------------------------------------------------------------

function t() {
  return strings(state.locale);
}

function renderMessage(message) {
  return renderOne(message, {
    labels: t(),
    locale: state.locale,
    timeoutSeconds: config.requestTimeoutSeconds,
    busy: busy(),
    streaming: answers.streaming?.message ?? null,
    stopping: Boolean(answers.streaming?.stopping),
    lastLlm: lastLlmAnswer(),
  });
}

/** The answer the server lets the page regenerate: the last bot answer, when it was streamed. */
function lastLlmAnswer() {
  for (let i = state.messages.length - 1; i >= 0; i -= 1) {
    if (state.messages[i].role === "bot") {
      return state.messages[i].answer ? state.messages[i] : null;
    }
  }
  return null;
}

function itemOf(message) {
  return ui.messages.querySelector(`li[data-id="${CSS.escape(message.id)}"]`);
}

/** Make `target`'s attributes those of `source`. */
function syncAttributes(target, source) {
  for (const name of target.getAttributeNames()) {
    if (!source.hasAttribute(name)) {
      target.removeAttribute(name);
    }
  }
  for (const name of source.getAttributeNames()) {
    target.setAttribute(name, source.getAttribute(name));
  }
}

/**
 * Draw one message again (its status or buttons changed), keeping its list item, its bubble and
 * its answer's text container (finished paragraphs keep their nodes: no flicker, a selection
 * survives), and the focus on the button that had it.
 */
function refreshMessage(message) {
  const old = itemOf(message);
  if (!old) {
    return null;
  }
  const focused = old.contains(document.activeElement) ? document.activeElement.dataset.action : null;
  const item = renderMessage(message);
  const oldBubble = old.querySelector(":scope > .bubble");
  const newBubble = item.querySelector(":scope > .bubble");
  const oldBody = oldBubble?.querySelector(":scope > .answer-text");
  const newBody = newBubble?.querySelector(":scope > .answer-text");
  if (oldBody && newBody) {
    const fragment = document.createDocumentFragment();
    fragment.append(...newBody.childNodes);
    patchChildren(oldBody, fragment);
    newBody.replaceWith(oldBody);
    syncAttributes(oldBubble, newBubble);
    oldBubble.replaceChildren(...newBubble.childNodes);
    newBubble.replaceWith(oldBubble);
  }
  syncAttributes(old, item);
  old.replaceChildren(...item.childNodes);
  markGroups();
  if (answers.streaming?.message === message) {
    answers.streaming.view.attach(old.querySelector(".answer-text"));
  }
  if (focused) {
    const again = old.querySelector(`button[data-action="${focused}"]`) ?? old.querySelector("button[data-action=copy]");
    again?.focus({ preventScroll: true });
  }
  return old;
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
  if (answers.streaming) {
    const item = itemOf(answers.streaming.message);
    if (item) {
      answers.streaming.view.attach(item.querySelector(".answer-text"));
    }
  }
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

/** Whether the conversation is scrolled to (nearly) its end: then a growing answer keeps it there. */
function atEnd() {
  return ui.scroller.scrollHeight - ui.scroller.scrollTop - ui.scroller.clientHeight < 48;
}

function announce(text) {
  ui.announcer.textContent = "";
  // A new text node in a live region is read out, also when it repeats the last one.
  setTimeout(() => {
    ui.announcer.textContent = text;
  }, 50);
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

function busy() {
  return inFlight !== null || answers.streaming !== null || answers.regenerating !== null;
}

function updateControls() {
  const waiting = inFlight !== null;
  const blocked = busy();
  const answering = answers.streaming !== null || answers.regenerating !== null;
  ui.send.disabled = blocked || ui.input.value.trim() === "";
  ui.send.setAttribute("aria-busy", String(blocked));
  ui.typing.hidden = !waiting;
  ui.busyHint.hidden = !answering;
  ui.busyHint.parentElement.classList.toggle("busy", answering);
  ui.busyHint.textContent = answering ? t().busyHint : "";
  ui.send.title = answering ? t().busyHint : "";
  for (const button of ui.messages.querySelectorAll("button[data-retry], button[data-action=regenerate], button[data-action=resume]")) {
    button.disabled = blocked;
  }
  for (const chip of ui.suggestions.querySelectorAll("button")) {
    chip.disabled = blocked;
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
  const previous = message.role === "bot" ? lastLlmAnswer() : null;
  state.messages.push(message);
  if (previous) {
    refreshMessage(previous); // Regenerate is only ever on the last bot answer
  }
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

async function send(text, { retryOf = null } = {}) {
  const trimmed = text.trim();
  if (busy() || trimmed === "") {
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
      body: JSON.stringify({ text: trimmed, sessionId: request.sessionId, locale: state.locale, stream: true }),
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
      outcome = { ok: false, ...failure(response.status, body, response.headers, t().errors) };
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
    if (isSessionId(body.sessionId)) {
      state.sessionId = body.sessionId;
    }
    if (body.conversation && typeof body.conversation.token === "string" && body.conversation.token) {
      conversationToken = body.conversation.token;
    }
    persistSession();
    const handle = answerHandle(body.answer);
    if (handle) {
      const message = addMessage({
        role: "bot",
        source: "llm",
        text: "",
        answer: { ...handle, cursor: 0, status: "pending", notice: null },
      });
      answers.stream(message);
    } else {
      for (const bubble of answerBubbles(body, messageId)) {
        addMessage(bubble);
      }
    }
  } else {
    const { ok, ...details } = outcome;
    if (details.reason === "session_busy" && conversationToken && !retryOf) {
      // Perhaps another tab's answer: show the conversation as the server has it, then the refusal.
      await reloadFromServer({ keep: state.messages.slice(-1) });
    }
    addMessage({ role: "error", text: trimmed, seconds: details.seconds ?? null, ...details });
  }
  saveState();
  updateControls();
}

// --- reopening a conversation ------------------------------------------------------------------

/**
 * Replace the messages with the server's copy of the conversation (when it has one), keeping
 * `keep` (messages only this tab knows) after it. Returns whether the server had it.
 */
async function reloadFromServer({ keep = [] } = {}) {
  if (!conversationToken) {
    return false;
  }
  const sessionId = state.sessionId;
  const messages = await loadServerMessages(sessionId, conversationToken);
  if (sessionId !== state.sessionId) {
    return false; // "New chat" meanwhile
  }
  if (messages === "missing") {
    conversationToken = null; // expired or unknown: the next first turn brings a new one
    persistSession();
    return false;
  }
  if (messages === null || (messages.length === 0 && state.messages.length > keep.length)) {
    return false; // unreachable, or the server kept nothing yet: what the tab shows stays
  }
  state.messages = [...messages, ...keep];
  saveState();
  renderAll();
  resumeActive();
  return true;
}

/** Continue reading the answer still being written, if there is one. */
function resumeActive() {
  if (answers.streaming) {
    return;
  }
  const active = state.messages.filter(isActive);
  for (const message of active.slice(0, -1)) {
    message.answer.status = "lost"; // at most one answer runs per session: older ones were cut
    refreshMessage(message);
  }
  if (active.length) {
    answers.stream(active[active.length - 1]);
  }
}

function startNewChat() {
  const left = leaveConversation();
  if (left !== null) {
    answers.post(left, "stop").catch(() => {}); // the user left it: stop spending on it
  }
  conversationToken = null;
  state = freshState(state.locale);
  persistSession();
  saveState();
  renderAll();
  updateControls();
  ui.input.focus();
}

/**
 * Stop reading and waiting in this tab (the server's answer goes on: another tab may read it);
 * returns the message whose answer was being read, or null.
 */
function leaveConversation() {
  if (inFlight !== null) {
    const request = inFlight;
    inFlight = null;
    request.controller.abort();
  }
  return answers.leave();
}

/** Another tab changed the browser's conversation: follow it (one conversation per browser). */
async function followOtherTab() {
  const kept = readSession();
  if (!kept) {
    return;
  }
  if (kept.sessionId === state.sessionId) {
    // The same conversation: another tab may have received its token on the first turn.
    conversationToken = kept.conversationToken ?? conversationToken;
    return;
  }
  leaveConversation();
  await openConversation();
  applyLabels();
  renderAll();
  updateControls();
  resumeActive();
}

function switchLocale(locale) {
  if (!config.locales.includes(locale) || locale === state.locale) {
    return;
  }
  state.locale = locale;
  persistSession();
  saveState();
  applyLabels();
  renderAll();
  updateControls();
}

// --- events ------------------------------------------------------------------------------------

function submitInput() {
  if (busy()) {
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

function onAction(button) {
  const message = state.messages.find((m) => m.id === button.dataset.message);
  if (!message) {
    return;
  }
  switch (button.dataset.action) {
    case "copy":
      answers.copy(message, button);
      break;
    case "stop":
      answers.stop(message);
      break;
    case "regenerate":
      answers.regenerate(message);
      break;
    case "resume":
      if (!busy()) {
        answers.stream(message);
      }
      break;
    default:
      break;
  }
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
    const action = event.target.closest("button[data-action]");
    if (action) {
      onAction(action);
      return;
    }
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
  window.addEventListener("storage", (event) => {
    if (event.key === SESSION_KEY) {
      followOtherTab();
    }
  });
  window.addEventListener("online", () => {
    // Back online: an answer whose connection was lost continues by itself.
    const lost = state.messages.findLast((m) => m.answer?.status === "lost");
    if (lost && !busy()) {
      answers.stream(lost);
    }
  });
  ui.localeSwitch.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-locale]");
    if (button) {
      switchLocale(button.dataset.locale);
    }
  });
}

/** Open the browser's conversation (reopen.js decides which, and what of it to show). */
async function openConversation() {
  ({ state, conversationToken } = await reopenConversation({
    kept: readSession(),
    tab: loadState(config),
    locales: config.locales,
    load: loadServerMessages,
    newId: messageId,
  }));
  persistSession();
  saveState();
}

function loadServerMessages(sessionId, token) {
  return serverMessages({
    sessionId,
    token,
    conversationsUrl: conversationsUrl(),
    answersUrl: answersUrl(),
    botBubbles: (turn) => answerBubbles(turn, messageId),
    newId: messageId,
  });
}

async function start() {
  config = await loadConfig();
  await openConversation();
  buildLocaleSwitch();
  applyLabels();
  renderAll();
  wireEvents();
  updateControls();
  resumeActive();
  document.body.dataset.ready = "true";
  ui.input.focus();
}

start();
