// The parts of a bot message that belong to answers: the streamed answer's body and its notice,
// and the action buttons under a bot answer (Stop, Resume, Copy, Regenerate).
//
// Everything is built from elements and text nodes; the buttons carry data-action and the
// message id, and chat.js handles their clicks.

import { renderMarkdown } from "./markdown.js";
import { displayText } from "./stream_render.js";

export const ACTIVE = new Set(["pending", "running"]);

const ICONS = {
  copy: "M9 3h9a2 2 0 0 1 2 2v11h-2V5H9V3ZM5 7h10a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V9a2 2 0 0 1 2-2Zm0 2v11h10V9H5Z",
  check: "M9.5 16.2 5.3 12l-1.4 1.4 5.6 5.6L20.1 8.4 18.7 7 9.5 16.2Z",
  stop: "M7 7h10v10H7z",
  regenerate: "M12 4a8 8 0 0 1 7.4 5H17v2h6V5h-2v2.6A10 10 0 1 0 22 12h-2a8 8 0 1 1-8-8Z",
  resume: "M8 5v14l11-7L8 5Z",
};

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

function icon(name) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "16");
  svg.setAttribute("height", "16");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("fill", "currentColor");
  path.setAttribute("d", ICONS[name]);
  svg.append(path);
  return svg;
}

/** Whether the answer is still being written. */
export function isActive(message) {
  return Boolean(message.answer && ACTIVE.has(message.answer.status));
}

/** The line under a streamed answer that did not end well (stopped, failed, lost), or null. */
export function noticeText(message, labels) {
  const answer = message.answer;
  if (!answer) {
    return null;
  }
  switch (answer.status) {
    case "stopped":
      return answer.notice || labels.answerStopped;
    case "failed":
      return answer.notice || labels.answerFailed;
    case "lost":
      return labels.answerLost;
    case "gone":
      return labels.answerGone;
    default:
      return answer.notice || null;
  }
}

/** Fill a bot bubble for a streamed answer: its text (as far as it is), a writing indicator, its notice. */
export function fillAnswerBubble(bubble, message, labels) {
  const active = isActive(message);
  const body = el("div", "answer-text markdown");
  bubble.append(body);
  if (message.text) {
    body.append(renderMarkdown(active ? displayText(message.text) : message.text));
  } else if (!active && message.answer.status === "done") {
    body.append(el("span", "muted", labels.noAnswer));
  }
  if (active) {
    const writing = el("span", "writing");
    writing.hidden = Boolean(message.text);
    const dots = el("span", "dots");
    dots.setAttribute("aria-hidden", "true");
    dots.append(el("span"), el("span"), el("span"));
    writing.append(dots, el("span", "visually-hidden", labels.typing));
    bubble.append(writing);
  }
  const notice = noticeText(message, labels);
  if (notice) {
    bubble.append(el("div", "answer-notice", notice));
  }
  const status = el("div", "answer-status");
  status.setAttribute("role", "status");
  status.hidden = true;
  bubble.append(status);
  return body;
}

function actionButton(action, messageId, label, spoken, iconName) {
  const button = el("button", `button action ${action}`);
  button.type = "button";
  button.dataset.action = action;
  button.dataset.message = messageId;
  button.append(icon(iconName), el("span", "action-label", label));
  if (spoken) {
    button.setAttribute("aria-label", spoken);
    button.title = spoken;
  }
  return button;
}

/**
 * The buttons under a bot answer. options: {streaming, stopping, canRegenerate, busy}: streaming
 * (this answer is being read now) shows Stop; a lost answer shows Resume; Copy is always there
 * (it copies the Markdown text as written), Regenerate only where canRegenerate says.
 */
export function answerActions(message, labels, { streaming = false, stopping = false, canRegenerate = false, busy = false } = {}) {
  const row = el("div", "answer-actions");
  if (streaming) {
    const stop = actionButton("stop", message.id, stopping ? labels.stopping : labels.stop, labels.stopLabel, "stop");
    stop.disabled = stopping;
    row.append(stop);
  }
  if (message.answer?.status === "lost") {
    const resume = actionButton("resume", message.id, labels.resume, labels.resumeLabel, "resume");
    resume.disabled = busy;
    row.append(resume);
  }
  const copy = actionButton("copy", message.id, labels.copy, labels.copyLabel, "copy");
  row.append(copy);
  if (canRegenerate) {
    const again = actionButton("regenerate", message.id, labels.regenerate, labels.regenerateLabel, "regenerate");
    again.disabled = busy;
    row.append(again);
  }
  return row;
}

/** Show on a Copy button that it worked (or not) for a moment; the label comes back after. */
export function confirmCopy(button, labels, copied, { ms = 2000 } = {}) {
  const label = button.querySelector(".action-label");
  clearTimeout(Number(button.dataset.timer || 0));
  label.textContent = copied ? labels.copied : labels.copyFailed;
  button.classList.toggle("copied", copied);
  button.classList.toggle("copy-failed", !copied);
  button.replaceChild(icon(copied ? "check" : "copy"), button.firstChild);
  const timer = setTimeout(() => {
    label.textContent = labels.copy;
    button.classList.remove("copied", "copy-failed");
    button.replaceChild(icon("copy"), button.firstChild);
    delete button.dataset.timer;
  }, ms);
  button.dataset.timer = String(timer);
}
