// Which conversation a page opens, and what it shows of it.
//
// The browser's conversation (localStorage: its session id and token) wins over the tab's own copy
// (sessionStorage), which is only used for the same session and when the server has nothing to
// give back. Errors only this tab saw stay after the server's turns, and a message the page was
// still waiting for when it was reloaded is offered again unless the server has its turn. Later,
// the server's copy replaces what the page shows when another tab may have changed it.

import { fetchConversation, transcriptMessages } from "./conversation.js";
import { answerBubbles } from "./replies.js";

/**
 * The server's copy of a session's messages: an array, "missing" (it does not know the session or
 * the token: forget the token), or null (unreachable, or an answer the page cannot use).
 */
export async function serverMessages({ sessionId, token, conversationsUrl, answersUrl, botBubbles, newId, fetchImpl }) {
  const server = await fetchConversation({ url: conversationsUrl, sessionId, token, fetchImpl });
  if (server.turns) {
    return transcriptMessages(server.turns, { botBubbles, newId, answersUrl });
  }
  return server.missing ? "missing" : null;
}

/**
 * The page's state ({sessionId, locale, messages, pending: null}) and conversation token to open
 * with. kept: the localStorage record or null; tab: the sessionStorage copy (or a fresh state);
 * load(sessionId, token): serverMessages for that session.
 */
export async function reopenConversation({ kept, tab, locales, load, newId, now = () => new Date().toISOString() }) {
  let state;
  if (kept && kept.sessionId !== tab.sessionId) {
    const locale = locales.includes(kept.locale) ? kept.locale : tab.locale;
    state = { sessionId: kept.sessionId, locale, messages: [], pending: null };
  } else {
    state = { ...tab, messages: [...tab.messages] };
    if (kept && locales.includes(kept.locale)) {
      state.locale = kept.locale;
    }
  }
  let conversationToken = kept && kept.sessionId === state.sessionId ? kept.conversationToken : null;
  const pending = state.pending;
  state.pending = null;
  let fromServer = false;
  if (conversationToken) {
    const messages = await load(state.sessionId, conversationToken);
    if (messages === "missing") {
      conversationToken = null; // expired or unknown: the next first turn brings a new one
    } else if (messages && (messages.length || state.messages.length === 0)) {
      const trailingErrors = [];
      for (let i = state.messages.length - 1; i >= 0 && state.messages[i].role === "error"; i -= 1) {
        trailingErrors.unshift(state.messages[i]);
      }
      state.messages = [...messages, ...trailingErrors];
      fromServer = true;
    }
  }
  if (pending) {
    const users = state.messages.filter((m) => m.role === "user");
    const answered = fromServer && users.length > 0 && users[users.length - 1].text === pending.text;
    if (!answered) {
      // The page was reloaded while waiting: offer to send that message again.
      state.messages.push({ id: newId(), time: now(), role: "error", text: pending.text, reason: "interrupted" });
    }
  }
  return { state, conversationToken };
}

/**
 * The page's conversation (a ChatState) kept in step with the server's copy. chatUrl(): where
 * /chat is; locales(): the page's locales; readKept(): the browser's record (localStorage);
 * readTab(): the tab's copy (sessionStorage).
 */
export class ServerCopy {
  constructor(chat, { chatUrl, locales, readKept, readTab, fetchImpl }) {
    this.chat = chat;
    this.chatUrl = chatUrl;
    this.locales = locales;
    this.readKept = readKept;
    this.readTab = readTab;
    this.fetchImpl = fetchImpl;
  }

  /** serverMessages for one session of this page. */
  load(sessionId, token) {
    const newId = () => this.chat.newId();
    return serverMessages({
      sessionId,
      token,
      conversationsUrl: `${this.chatUrl()}/conversations`,
      answersUrl: `${this.chatUrl()}/answers`,
      botBubbles: (turn) => answerBubbles(turn, newId),
      newId,
      fetchImpl: this.fetchImpl,
    });
  }

  /** Open the browser's conversation (reopenConversation decides which, and what of it to show). */
  async open() {
    this.chat.open(await reopenConversation({
      kept: this.readKept(),
      tab: this.readTab(),
      locales: this.locales(),
      load: (sessionId, token) => this.load(sessionId, token),
      newId: () => this.chat.newId(),
    }));
  }

  /**
   * Show the server's copy of the conversation (when it has one), with `keep` (messages only this
   * tab knows) after it. Returns whether the messages were replaced.
   */
  async reload({ keep = [] } = {}) {
    const chat = this.chat;
    if (!chat.token) {
      return false;
    }
    const sessionId = chat.sessionId;
    const messages = await this.load(sessionId, chat.token);
    if (sessionId !== chat.sessionId) {
      return false; // "New chat" meanwhile
    }
    if (messages === "missing") {
      chat.forgetToken(); // expired or unknown: the next first turn brings a new one
      return false;
    }
    if (messages === null || (messages.length === 0 && chat.messages.length > keep.length)) {
      return false; // unreachable, or the server kept nothing yet: what the tab shows stays
    }
    chat.replace([...messages, ...keep]);
    return true;
  }
}
