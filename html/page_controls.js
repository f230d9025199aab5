// What the page's controls show while it is busy: waiting for /chat's reply (the typing dots), or
// reading or regenerating a streamed answer (the busy hint). While busy, Send, Retry, Regenerate,
// Resume and the suggestion chips are disabled: one message at a time per conversation.

/**
 * parts: {send, typing, busyHint, messages (the list), suggestions}. now: {waiting (a /chat request
 * is out), answering (an answer is being read or regenerated), hasText (the box holds something
 * to send), labels}.
 */
export function showBusy({ send, typing, busyHint, messages, suggestions }, { waiting, answering, hasText, labels }) {
  const blocked = waiting || answering;
  send.disabled = blocked || !hasText;
  send.setAttribute("aria-busy", String(blocked));
  typing.hidden = !waiting;
  busyHint.hidden = !answering;
  busyHint.parentElement.classList.toggle("busy", answering);
  busyHint.textContent = answering ? labels.busyHint : "";
  send.title = answering ? labels.busyHint : "";
  for (const button of messages.querySelectorAll("button[data-retry], button[data-action=regenerate], button[data-action=resume]")) {
    button.disabled = blocked;
  }
  for (const chip of suggestions.querySelectorAll("button")) {
    chip.disabled = blocked;
  }
}

/** Have screen readers read `text` out (a live region), also when it repeats the last one. */
export function announce(region, text, { delayMs = 50 } = {}) {
  region.textContent = "";
  // A new text node in a live region is read out, also when it repeats the last one.
  setTimeout(() => {
    region.textContent = text;
  }, delayMs);
}
