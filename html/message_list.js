// The conversation's list of messages on the page: drawing them all, appending one, drawing one
// again in place, grouping the bubbles of one answer, the empty state and scrolling.
//
// A message drawn again keeps its list item, its bubble and its answer's text container, so the
// finished paragraphs of a growing answer keep their nodes (no flicker, a selection survives), and
// the button that had the focus keeps it. Each message is drawn by message_view.js.

import { patchChildren } from "./stream_render.js";

/** Make `target`'s attributes those of `source`. */
export function syncAttributes(target, source) {
  for (const name of target.getAttributeNames()) {
    if (!source.hasAttribute(name)) {
      target.removeAttribute(name);
    }
  }
  for (const name of source.getAttributeNames()) {
    target.setAttribute(name, source.getAttribute(name));
  }
}

// How close to its end (in pixels) the conversation counts as scrolled to the end.
const NEAR_END = 48;

/**
 * messages: the <ol> of messages; scroller: the element that scrolls; empty: what shows while
 * there are no messages. render(message): the message's <li>; streaming(): {message, view} of the answer
 * being read (its view is given the answer's text container to write into), or null.
 */
export class MessageList {
  constructor({ messages, scroller, empty }, { render, streaming = () => null }) {
    this.list = messages;
    this.scroller = scroller;
    this.empty = empty;
    this.render = render;
    this.streaming = streaming;
  }

  /** The list item of a message, or null when it is not shown. */
  item(message) {
    return this.itemById(message.id);
  }

  itemById(id) {
    return this.list.querySelector(`li[data-id="${CSS.escape(id)}"]`);
  }

  /** Draw every message afresh, and scroll to the end. */
  renderAll(messages) {
    this.list.replaceChildren(...messages.map((message) => this.render(message)));
    this.attachStreaming();
    this.markGroups();
    this.showEmpty(messages.length === 0);
    this.scrollToEnd();
  }

  /** Draw a new last message, and scroll to the end. */
  append(message) {
    this.list.append(this.render(message));
    this.markGroups();
    this.showEmpty(false);
    this.scrollToEnd();
  }

  /** Take a message off the page. */
  remove(id) {
    this.itemById(id)?.remove();
  }

  /** Draw one message again (its status or buttons changed); returns its item, or null. */
  refresh(message) {
    const old = this.item(message);
    if (!old) {
      return null;
    }
    const active = old.ownerDocument.activeElement;
    const focused = old.contains(active) ? active.dataset.action : null;
    const item = this.render(message);
    const oldBubble = old.querySelector(":scope > .bubble");
    const newBubble = item.querySelector(":scope > .bubble");
    const oldBody = oldBubble?.querySelector(":scope > .answer-text");
    const newBody = newBubble?.querySelector(":scope > .answer-text");
    if (oldBody && newBody) {
      const fragment = old.ownerDocument.createDocumentFragment();
      fragment.append(...newBody.childNodes);
      patchChildren(oldBody, fragment);
      newBody.replaceWith(oldBody);
      syncAttributes(oldBubble, newBubble);
      oldBubble.replaceChildren(...newBubble.childNodes);
      newBubble.replaceWith(oldBubble);
    }
    syncAttributes(old, item);
    old.replaceChildren(...item.childNodes);
    this.markGroups();
    const streaming = this.streaming();
    if (streaming?.message === message) {
      streaming.view.attach(old.querySelector(".answer-text"));
    }
    if (focused) {
      const again = old.querySelector(`button[data-action="${focused}"]`) ?? old.querySelector("button[data-action=copy]");
      again?.focus({ preventScroll: true });
    }
    return old;
  }

  /** Bubbles of one answer read as one: only the last of them shows the time. */
  markGroups() {
    for (const item of this.list.children) {
      const next = item.nextElementSibling;
      item.classList.toggle("grouped", Boolean(item.dataset.group) && next?.dataset.group === item.dataset.group);
    }
  }

  showEmpty(isEmpty) {
    this.empty.hidden = !isEmpty;
  }

  scrollToEnd() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  /** Whether the conversation is scrolled to (nearly) its end: then a growing answer keeps it there. */
  atEnd() {
    return this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < NEAR_END;
  }

  attachStreaming() {
    const streaming = this.streaming();
    if (streaming) {
      const item = this.item(streaming.message);
      if (item) {
        streaming.view.attach(item.querySelector(".answer-text"));
      }
    }
  }
}
