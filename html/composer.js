// The message box: Enter sends and Shift+Enter starts a new line (an Enter that confirms an IME
// composition, as in Korean or Japanese, never sends), the box grows with its text, and a counter
// shows how much of the limit is used once the text nears it.

import { format } from "./i18n.js";

// The same limit as /chat and Lex, counted the same way: in UTF-16 code units, which is what the
// textarea's maxlength and String.length count (an emoji beyond the BMP counts as two).
export const MAX_TEXT = 1024;
// The counter shows from this share of the limit on.
const COUNTER_FROM = 0.8;
// The tallest the box grows, in pixels; past it, it scrolls.
const MAX_HEIGHT = 200;

/** Whether a keydown sends the message: Enter alone, and not the Enter that ends a composition. */
export function isSendKey(event, composing = false) {
  if (event.key !== "Enter" || event.shiftKey) {
    return false;
  }
  // keyCode 229: the key went to the IME (browsers that do not set isComposing on that Enter).
  return !(event.isComposing || composing || event.keyCode === 229);
}

/**
 * form, input (the textarea), counter: the composer's elements. send(text): called with the text
 * typed, which the box then clears; canSend(): false while the page is busy (the text stays);
 * changed(): after every edit (controls to update); labels(): the page's strings.
 */
export class Composer {
  constructor({ form, input, counter }, { send, canSend = () => true, changed = () => {}, labels }) {
    this.form = form;
    this.input = input;
    this.counter = counter;
    this.send = send;
    this.canSend = canSend;
    this.changed = changed;
    this.labels = labels;
    this.composing = false;
  }

  /** Listen to the form and the box. */
  wire() {
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.input.addEventListener("compositionstart", () => {
      this.composing = true;
    });
    this.input.addEventListener("compositionend", () => {
      this.composing = false;
    });
    this.input.addEventListener("keydown", (event) => {
      if (isSendKey(event, this.composing)) {
        event.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener("input", () => {
      this.autoGrow();
      this.updateCounter();
      this.changed();
    });
  }

  /** Whether there is text worth sending (not only spaces). */
  hasText() {
    return this.input.value.trim() !== "";
  }

  /** Send what is typed, unless the page is busy or there is nothing but spaces. */
  submit() {
    if (!this.canSend()) {
      return;
    }
    const text = this.input.value;
    if (!text.trim()) {
      return;
    }
    this.input.value = "";
    this.autoGrow();
    this.updateCounter();
    this.send(text);
    this.focus();
  }

  focus() {
    this.input.focus();
  }

  autoGrow() {
    this.input.style.height = "auto";
    this.input.style.height = `${Math.min(this.input.scrollHeight, MAX_HEIGHT)}px`;
  }

  updateCounter() {
    const length = this.input.value.length;
    this.counter.hidden = length < MAX_TEXT * COUNTER_FROM;
    this.counter.textContent = format(this.labels().counter, { n: length, max: MAX_TEXT });
  }
}
