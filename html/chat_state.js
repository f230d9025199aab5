// The conversation the page is in: its session id, locale, messages and the message still waiting
// for its reply, and the token that reads it back from the server. Every change is kept as it is
// made: the browser's record in localStorage (conversation.js) and the tab's copy in
// sessionStorage (page_state.js), so a reload or another tab finds it.

import { writeSession } from "./conversation.js";
import { TabCopy, freshState } from "./page_state.js";

export class ChatState {
  constructor({ local = globalThis.localStorage, session = globalThis.sessionStorage, now = () => new Date() } = {}) {
    this.local = local;
    this.now = now;
    this.state = null; // { sessionId, locale, messages: [...], pending: {text} | null }
    this.token = null; // lets this browser read the conversation back
    this.tab = new TabCopy(() => this.state, { storage: session });
    this.counter = 0;
  }

  get sessionId() {
    return this.state.sessionId;
  }

  get locale() {
    return this.state.locale;
  }

  get messages() {
    return this.state.messages;
  }

  /** A message id no other message of this page has. */
  newId() {
    this.counter += 1;
    return `${this.now().getTime().toString(36)}-${this.counter}`;
  }

  /** Make {state, conversationToken} (reopen.js's, or a fresh one) the page's conversation. */
  open({ state, conversationToken }) {
    this.state = state;
    this.token = conversationToken;
    this.persist();
    this.save();
  }

  /** A new conversation in the same locale (New chat). */
  reset() {
    this.open({ state: freshState(this.locale), conversationToken: null });
  }

  /** The browser-wide record: which conversation this browser is in, and how to read it back. */
  persist() {
    writeSession({ sessionId: this.sessionId, conversationToken: this.token, locale: this.locale }, this.local);
  }

  save() {
    this.tab.save();
  }

  /** Save within half a second (a streaming answer changes many times a second). */
  saveSoon() {
    this.tab.saveSoon();
  }

  find(id) {
    return this.messages.find((message) => message.id === id);
  }

  /** The answer the server lets the page regenerate: the last bot answer, when it was streamed. */
  lastLlmAnswer() {
    const last = this.messages.findLast((message) => message.role === "bot");
    return last?.answer ? last : null;
  }

  /** Add a message (its fields; it gets an id and the time) at the end; returns it. */
  add(fields) {
    const message = { id: this.newId(), time: this.now().toISOString(), ...fields };
    this.messages.push(message);
    this.save();
    return message;
  }

  remove(id) {
    this.state.messages = this.messages.filter((message) => message.id !== id);
    this.save();
  }

  /** Show these messages instead (the server's copy). */
  replace(messages) {
    this.state.messages = messages;
    this.save();
  }

  /** The text sent and not yet answered (offered again after a reload), or null once answered. */
  setPending(text) {
    this.state.pending = text === null ? null : { text };
    this.save();
  }

  /** What a reply hands the page: the session id it continues, a token on its first turn. */
  accept({ sessionId, conversationToken }) {
    this.state.sessionId = sessionId ?? this.sessionId;
    this.token = conversationToken ?? this.token;
    this.persist();
  }

  /** The server no longer knows the token (expired): the next first turn brings a new one. */
  forgetToken() {
    this.token = null;
    this.persist();
  }

  setLocale(locale) {
    this.state.locale = locale;
    this.persist();
    this.save();
  }
}
