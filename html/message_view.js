// One message of the conversation as the page shows it: the user's text, a bot answer (Markdown,
// or a streamed answer with its notice and buttons) or an error with Retry, then its time, the LLM
// badge and the answer's buttons. Built from elements and text nodes only.

import { format } from "./i18n.js";
import { renderMarkdown } from "./markdown.js";
import { answerActions, fillAnswerBubble, isActive } from "./answer_view.js";
import { NOT_SENT_STATUSES } from "./replies.js";
import { formatTime } from "./time_format.js";

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function errorText(message, errors, timeoutSeconds) {
  const values = { status: message.status ?? "?", seconds: message.seconds ?? timeoutSeconds };
  if (message.reason === "throttled" && message.seconds) {
    return format(errors.throttledAfter, values);
  }
  const template = Object.hasOwn(errors, message.reason) ? errors[message.reason] : errors.generic;
  return format(template, values);
}

/**
 * One message as a list item. view: {labels, locale, timeoutSeconds, busy, streaming (the message
 * being read now), stopping, lastLlm (the answer that may be regenerated)}.
 */
export function renderMessage(message, view) {
  const { labels } = view;
  const item = el("li", `message ${message.role}`);
  item.dataset.id = message.id;
  if (message.group) {
    item.dataset.group = message.group;
  }
  if (message.source) {
    item.dataset.source = message.source;
  }
  if (message.answer) {
    item.dataset.answerStatus = message.answer.status;
    item.classList.toggle("streaming", isActive(message));
    if (isActive(message)) {
      item.setAttribute("aria-busy", "true"); // screen readers read the answer once it is whole
    }
  }
  const speaker = message.role === "user" ? labels.you : labels.bot;
  item.append(el("span", "visually-hidden", `${speaker}: `));

  const bubble = el("div", "bubble");
  if (message.role === "user") {
    bubble.textContent = message.text;
  } else if (message.role === "bot" && message.answer) {
    fillAnswerBubble(bubble, message, labels);
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
    const reason = el("p", "error-reason", errorText(message, labels.errors, view.timeoutSeconds));
    bubble.append(reason);
    if (message.detail) {
      bubble.append(el("p", "error-detail", message.detail));
    }
    const retry = el("button", "button retry", labels.retry);
    retry.type = "button";
    retry.dataset.retry = message.id;
    retry.disabled = view.busy;
    bubble.append(retry);
  }
  item.append(bubble);

  const meta = el("div", "meta");
  const time = el("time", "", formatTime(message.time, view.locale));
  time.dateTime = message.time;
  meta.append(time);
  if (message.source === "llm") {
    const badge = el("span", "badge llm");
    badge.title = labels.llmBadgeTitle;
    badge.append(el("span", "", "LLM"));
    badge.append(el("span", "visually-hidden", ` (${labels.llmBadgeSpoken})`));
    meta.append(badge);
  }
  if (message.role === "bot") {
    meta.append(answerActions(message, labels, {
      streaming: view.streaming === message,
      stopping: view.streaming === message && view.stopping,
      canRegenerate: message === view.lastLlm && !isActive(message),
      busy: view.busy,
    }));
  }
  item.append(meta);
  return item;
}
