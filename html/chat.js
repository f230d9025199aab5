// The chat page: sends POST /chat on its own origin and shows the conversation. This module owns
// the conversation's state and wires the page's parts, each in its own module: sending a message
// (chat_request.js) and reading the reply (replies.js), a streamed answer (answer_control.js), the
// list of messages (message_list.js, message_view.js), the message box (composer.js), the page's
// words and busy controls (page_labels.js, page_controls.js), its events (page_events.js), and
// where the conversation is kept and reopened from (conversation.js, page_state.js, reopen.js).
//
// Text from the user or the bot is only ever put in the page as text nodes (bot answers through
// the Markdown renderer, which builds elements); nothing is assigned to innerHTML.

import { strings } from "./i18n.js";
import { AnswerControl } from "./answer_control.js";
import { isActive } from "./answer_view.js";
import { Outbox } from "./chat_request.js";
import { Composer } from "./composer.js";
import { MessageList } from "./message_list.js";
import { renderMessage as renderOne } from "./message_view.js";
import { announce, showBusy } from "./page_controls.js";
import { wirePageEvents } from "./page_events.js";
import { applyLabels as putLabels, buildLocaleSwitch } from "./page_labels.js";
import { answerBubbles, replyMessages } from "./replies.js";
import { SESSION_KEY, readSession, writeSession } from "./conversation.js";
import { DEFAULT_CONFIG, TabCopy, freshState, loadConfig, loadState } from "./page_state.js";
import { reopenConversation, serverMessages } from "./reopen.js";

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
const outbox = new Outbox(); // the message out, waiting for /chat's reply

const t = () => strings(state.locale);
const tab = new TabCopy(() => state);
const saveState = () => tab.save();
const list = new MessageList(ui, { render: renderMessage, streaming: () => answers.streaming });
const composer = new Composer(ui, {
  send: (text) => send(text),
  canSend: () => !busy(),
  changed: () => updateControls(),
  labels: () => t(),
});
const answers = new AnswerControl({
  labels: () => t(),
  token: () => conversationToken,
  messages: () => state.messages,
  item: (message) => list.item(message),
  refresh: (message) => list.refresh(message),
  atEnd: () => list.atEnd(),
  scrollToEnd: () => list.scrollToEnd(),
  announce: (text) => announce(ui.announcer, text),
  saveSoon: () => tab.saveSoon(),
  save: saveState,
  changed: () => updateControls(),
  busy: () => busy(),
  canRegenerate: (message) => message === lastLlmAnswer(),
});

/** The browser-wide record: which conversation this browser is in, and how to read it back. */
function persistSession() {
  writeSession({ sessionId: state.sessionId, conversationToken, locale: state.locale });
}

// --- the page ------------------------------------------------------------------------------------

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
  const last = state.messages.findLast((message) => message.role === "bot");
  return last?.answer ? last : null;
}

function applyLabels() {
  putLabels(document, t(), state.locale, ui);
  composer.updateCounter();
}

function busy() {
  return outbox.waiting || answers.streaming !== null || answers.regenerating !== null;
}

function updateControls() {
  showBusy(ui, {
    waiting: outbox.waiting,
    answering: answers.streaming !== null || answers.regenerating !== null,
    hasText: composer.hasText(),
    labels: t(),
  });
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
    list.refresh(previous); // Regenerate is only ever on the last bot answer
  }
  saveState();
  list.append(message);
  return message;
}

function removeMessage(id) {
  state.messages = state.messages.filter((m) => m.id !== id);
  saveState();
  list.remove(id);
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
  const sessionId = state.sessionId;
  state.pending = { text: trimmed };
  saveState();
  const reply = outbox.send({
    url: config.chatUrl,
    text: trimmed,
    sessionId,
    locale: state.locale,
    timeoutSeconds: config.requestTimeoutSeconds,
    errors: t().errors,
  });
  updateControls();
  list.scrollToEnd();
  const outcome = await reply;
  if (outcome === null || sessionId !== state.sessionId) {
    return; // cancelled by "New chat": this answer belongs to a conversation that is gone
  }
  state.pending = null;
  if (outcome.ok) {
    state.sessionId = outcome.sessionId ?? state.sessionId;
    conversationToken = outcome.conversationToken ?? conversationToken;
    persistSession();
    for (const fields of replyMessages(outcome.body, messageId)) {
      const message = addMessage(fields);
      if (message.answer) {
        answers.stream(message);
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
  list.renderAll(state.messages);
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
    list.refresh(message);
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
  list.renderAll(state.messages);
  updateControls();
  composer.focus();
}

/**
 * Stop reading and waiting in this tab (the server's answer goes on: another tab may read it);
 * returns the message whose answer was being read, or null.
 */
function leaveConversation() {
  outbox.cancel();
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
  list.renderAll(state.messages);
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
  list.renderAll(state.messages);
  updateControls();
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
    conversationsUrl: `${config.chatUrl}/conversations`,
    answersUrl: `${config.chatUrl}/answers`,
    botBubbles: (turn) => answerBubbles(turn, messageId),
    newId: messageId,
  });
}

// --- events ------------------------------------------------------------------------------------

const ACTIONS = {
  copy: (message, button) => answers.copy(message, button),
  stop: (message) => answers.stop(message),
  regenerate: (message) => answers.regenerate(message),
  resume: (message) => {
    if (!busy()) {
      answers.stream(message);
    }
  },
};

function wireEvents() {
  const byId = (id) => state.messages.find((m) => m.id === id);
  composer.wire();
  wirePageEvents(ui, {
    action: (name, id, button) => {
      const message = byId(id);
      if (message && Object.hasOwn(ACTIONS, name)) {
        ACTIONS[name](message, button);
      }
    },
    retry: (id) => {
      const message = byId(id);
      if (message) {
        send(message.text, { retryOf: message.id });
        composer.focus();
      }
    },
    suggestion: (text) => {
      send(text);
      composer.focus();
    },
    newChat: startNewChat,
    locale: switchLocale,
    sessionChanged: followOtherTab,
    online: () => {
      // Back online: an answer whose connection was lost continues by itself.
      const lost = state.messages.findLast((m) => m.answer?.status === "lost");
      if (lost && !busy()) {
        answers.stream(lost);
      }
    },
  }, { sessionKey: SESSION_KEY });
}

async function start() {
  config = await loadConfig();
  await openConversation();
  buildLocaleSwitch(ui.localeSwitch, config.locales);
  applyLabels();
  list.renderAll(state.messages);
  wireEvents();
  updateControls();
  resumeActive();
  document.body.dataset.ready = "true";
  composer.focus();
}

start();
