// The chat page: sends POST /chat on its own origin and shows the conversation. This module makes
// the page's parts and wires them together; each has its own module: sending a message
// (chat_request.js) and reading the reply (replies.js), a streamed answer (answer_control.js), the
// list of messages (message_list.js, message_view.js), the message box (composer.js), the page's
// words (page_labels.js; the bot's own in bot_texts.js) and busy controls (page_controls.js), its
// events (page_events.js), the conversation and where it is kept (chat_state.js, conversation.js,
// page_state.js), which one a page reopens and the server's copy of it (reopen.js).
//
// Text from the user or the bot is only ever put in the page as text nodes (bot answers through
// the Markdown renderer, which builds elements); nothing is assigned to innerHTML.

import { strings } from "./i18n.js";
import { withBotTexts } from "./bot_texts.js";
import { AnswerControl } from "./answer_control.js";
import { Outbox } from "./chat_request.js";
import { Composer } from "./composer.js";
import { MessageList } from "./message_list.js";
import { renderMessage as renderOne } from "./message_view.js";
import { warmTimeFormats } from "./time_format.js";
import { announce, showBusy } from "./page_controls.js";
import { wirePageEvents } from "./page_events.js";
import { applyLabels as putLabels, buildLocaleSwitch } from "./page_labels.js";
import { replyMessages } from "./replies.js";
import { SESSION_KEY, readSession } from "./conversation.js";
import { ChatState } from "./chat_state.js";
import { DEFAULT_CONFIG, loadConfig, loadState } from "./page_state.js";
import { ServerCopy } from "./reopen.js";

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
const chat = new ChatState(); // the conversation, kept in the browser's storage
const outbox = new Outbox(); // the message out, waiting for /chat's reply
const server = new ServerCopy(chat, {
  chatUrl: () => config.chatUrl,
  locales: () => config.locales,
  readKept: readSession,
  readTab: () => loadState(config),
});

// The page's labels in the conversation's language, with the bot's own title, welcome and examples.
const t = () => withBotTexts(strings(chat.locale), config.page, chat.locale);
const list = new MessageList(ui, { render: renderMessage, streaming: () => answers.streaming });
const composer = new Composer(ui, {
  send: (text) => send(text),
  canSend: () => !busy(),
  changed: () => updateControls(),
  labels: () => t(),
});
const answers = new AnswerControl({
  labels: () => t(),
  token: () => chat.token,
  messages: () => chat.messages,
  item: (message) => list.item(message),
  refresh: (message) => list.refresh(message),
  atEnd: () => list.atEnd(),
  scrollToEnd: () => list.scrollToEnd(),
  announce: (text) => announce(ui.announcer, text),
  saveSoon: () => chat.saveSoon(),
  save: () => chat.save(),
  changed: () => updateControls(),
  busy: () => busy(),
  canRegenerate: (message) => message === chat.lastLlmAnswer(),
});

// --- the page ------------------------------------------------------------------------------------

function renderMessage(message) {
  return renderOne(message, {
    labels: t(),
    locale: chat.locale,
    timeoutSeconds: config.requestTimeoutSeconds,
    busy: busy(),
    streaming: answers.streaming?.message ?? null,
    stopping: Boolean(answers.streaming?.stopping),
    lastLlm: chat.lastLlmAnswer(),
  });
}

function applyLabels() {
  putLabels(document, t(), chat.locale, ui);
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

function addMessage(fields) {
  const previous = fields.role === "bot" ? chat.lastLlmAnswer() : null;
  const message = chat.add(fields);
  if (previous) {
    list.refresh(previous); // Regenerate is only ever on the last bot answer
  }
  list.append(message);
  return message;
}

async function send(text, { retryOf = null } = {}) {
  const trimmed = text.trim();
  if (busy() || trimmed === "") {
    return;
  }
  const sessionId = chat.sessionId;
  // The request leaves first (fetch is called before send() returns); the page draws the message
  // while the server works, so drawing never delays the answer.
  const reply = outbox.send({
    url: config.chatUrl,
    text: trimmed,
    sessionId,
    locale: chat.locale,
    timeoutSeconds: config.requestTimeoutSeconds,
    errors: t().errors,
  });
  if (retryOf) {
    chat.remove(retryOf);
    list.remove(retryOf);
  } else {
    addMessage({ role: "user", text: trimmed });
  }
  chat.setPending(trimmed);
  updateControls();
  list.scrollToEnd();
  const outcome = await reply;
  if (outcome === null || sessionId !== chat.sessionId) {
    return; // cancelled by "New chat": this answer belongs to a conversation that is gone
  }
  chat.setPending(null);
  if (outcome.ok) {
    chat.accept(outcome);
    for (const fields of replyMessages(outcome.body, () => chat.newId())) {
      const message = addMessage(fields);
      if (message.answer) {
        answers.stream(message);
      }
    }
  } else {
    const { ok, ...details } = outcome;
    if (details.reason === "session_busy" && chat.token && !retryOf) {
      // Perhaps another tab's answer: show the conversation as the server has it, then the refusal.
      await reloadFromServer({ keep: chat.messages.slice(-1) });
    }
    addMessage({ role: "error", text: trimmed, seconds: details.seconds ?? null, ...details });
  }
  chat.save();
  updateControls();
}

// --- reopening a conversation ------------------------------------------------------------------

/** Show the server's copy of the conversation, `keep` after it (see ServerCopy.reload). */
async function reloadFromServer(options) {
  if (await server.reload(options)) {
    list.renderAll(chat.messages);
    answers.resume(chat.messages);
  }
}

function startNewChat() {
  const left = leaveConversation();
  if (left !== null) {
    answers.post(left, "stop").catch(() => {}); // the user left it: stop spending on it
  }
  chat.reset();
  list.renderAll(chat.messages);
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
  if (kept.sessionId === chat.sessionId) {
    // The same conversation: another tab may have received its token on the first turn.
    chat.token = kept.conversationToken ?? chat.token;
    return;
  }
  leaveConversation();
  await server.open();
  applyLabels();
  list.renderAll(chat.messages);
  updateControls();
  answers.resume(chat.messages);
}

function switchLocale(locale) {
  if (!config.locales.includes(locale) || locale === chat.locale) {
    return;
  }
  chat.setLocale(locale);
  applyLabels();
  list.renderAll(chat.messages);
  updateControls();
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
  composer.wire();
  wirePageEvents(ui, {
    action: (name, id, button) => {
      const message = chat.find(id);
      if (message && Object.hasOwn(ACTIONS, name)) {
        ACTIONS[name](message, button);
      }
    },
    retry: (id) => {
      const message = chat.find(id);
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
      const lost = chat.messages.findLast((m) => m.answer?.status === "lost");
      if (lost && !busy()) {
        answers.stream(lost);
      }
    },
  }, { sessionKey: SESSION_KEY });
}

async function start() {
  config = await loadConfig();
  await server.open();
  buildLocaleSwitch(ui.localeSwitch, config.locales);
  applyLabels();
  list.renderAll(chat.messages);
  wireEvents();
  updateControls();
  answers.resume(chat.messages);
  document.body.dataset.ready = "true";
  composer.focus();
  // Message times need the locales' date formats: built now, off the path of the first message.
  const whenIdle = globalThis.requestIdleCallback ?? ((callback) => setTimeout(callback, 0));
  whenIdle(() => warmTimeFormats(config.locales));
}

start();
