// The page's side of a streamed answer: reading it into its message as it is written, Stop,
// Regenerate and Copy. chat.js owns the conversation and the page; it hands this the few things an
// answer needs of it (`page`, below) and asks `streaming`/`regenerating` whether one is going on.

import { AnswerStreamError, readAnswer } from "./answer_stream.js";
import { confirmCopy, isActive } from "./answer_view.js";
import { copyText } from "./clipboard.js";
import { answerHandle } from "./replies.js";
import { StreamingMarkdown } from "./stream_render.js";

/**
 * page: {labels(), token() (the conversation token), messages(), item(message), refresh(message),
 * atEnd(), scrollToEnd(), announce(text), saveSoon(), save(), changed() (controls to update),
 * busy(), canRegenerate(message)}.
 */
export class AnswerControl {
  constructor(page) {
    this.page = page;
    this.streaming = null; // { message, controller, view, stopping } while an answer is read
    this.regenerating = null; // the message whose Regenerate request is out
  }

  /** Read a streamed answer into its message until it ends (or is lost), from the cursor it has. */
  async stream(message) {
    const page = this.page;
    const answer = message.answer;
    const token = answer.token || page.token();
    if (!token) {
      answer.status = "gone";
      page.refresh(message);
      page.save();
      return;
    }
    if (!isActive(message)) {
      answer.status = "running"; // resumed after a lost connection
    }
    const run = { message, controller: new AbortController(), stopping: false, view: null };
    run.view = new StreamingMarkdown(document.createElement("div"), {
      beforeRender: () => page.atEnd(),
      onRender: (follow) => {
        if (follow) {
          page.scrollToEnd();
        }
      },
    });
    run.view.text = message.text;
    this.streaming = run;
    page.refresh(message);
    page.changed();
    let outcome;
    try {
      outcome = await readAnswer({
        url: answer.url,
        token,
        cursor: answer.cursor,
        signal: run.controller.signal,
        onDelta: (piece, cursor) => {
          if (this.streaming === run) {
            this.delta(run, piece, cursor);
          }
        },
        onRetry: () => this.statusLine(message, page.labels().reconnecting),
        onProgress: () => this.statusLine(message, ""),
      });
    } catch (error) {
      if (this.streaming !== run || (error instanceof AnswerStreamError && error.reason === "aborted")) {
        run.view.dispose();
        return; // "New chat", or the page left this conversation
      }
      outcome = { status: error instanceof AnswerStreamError && error.reason === "not_found" ? "gone" : "lost" };
    }
    run.view.dispose();
    if (this.streaming !== run) {
      return;
    }
    this.streaming = null;
    this.ended(message, outcome);
  }

  delta(run, piece, cursor) {
    const { message } = run;
    const first = message.text === "";
    message.text += piece;
    message.answer.cursor = cursor;
    message.answer.status = "running";
    if (first) {
      const item = this.page.item(message);
      if (item) {
        item.dataset.answerStatus = "running";
        const writing = item.querySelector(".writing");
        if (writing) {
          writing.hidden = true;
        }
      }
    }
    run.view.append(piece);
    this.page.saveSoon();
  }

  ended(message, outcome) {
    const page = this.page;
    const answer = message.answer;
    answer.status = outcome.status;
    answer.notice = outcome.notice ?? null;
    answer.errorKind = outcome.errorKind ?? null;
    answer.finishReason = outcome.finishReason ?? null;
    if (Number.isInteger(outcome.cursor)) {
      answer.cursor = outcome.cursor;
    }
    const follow = page.atEnd();
    page.refresh(message);
    if (follow) {
      page.scrollToEnd();
    }
    if (answer.status !== "done") {
      const notice = page.item(message)?.querySelector(".answer-notice")?.textContent;
      page.announce(notice || page.labels().answerFailed);
    }
    page.save();
    page.changed();
  }

  /** A short line under an answer (reconnecting, a refused Stop or Regenerate); "" hides it. */
  statusLine(message, text) {
    const line = this.page.item(message)?.querySelector(".answer-status");
    if (line && line.textContent !== text) {
      line.textContent = text;
      line.hidden = text === "";
    }
  }

  post(message, action) {
    return fetch(`${message.answer.url}/${action}`, {
      method: "POST",
      headers: { "X-Answer-Token": message.answer.token || this.page.token() || "", Accept: "application/json" },
      cache: "no-store",
      credentials: "same-origin",
    });
  }

  /** Stop: the server ends generation; the reader then gets the `stopped` end event and its notice. */
  async stop(message) {
    const run = this.streaming;
    if (!run || run.message !== message || run.stopping) {
      return;
    }
    run.stopping = true;
    this.page.refresh(message);
    let ok = false;
    try {
      const response = await this.post(message, "stop");
      ok = response.ok || response.status === 404; // 404: it had already gone
    } catch {
      ok = false;
    }
    if (!ok && this.streaming === run) {
      run.stopping = false;
      this.page.refresh(message);
      this.statusLine(message, this.page.labels().stopFailed);
    }
  }

  /** Regenerate: a new answer to the same question replaces this one in place. */
  async regenerate(message) {
    const page = this.page;
    if (page.busy() || !page.canRegenerate(message)) {
      return;
    }
    this.regenerating = message;
    page.changed();
    let handle = null;
    let problem = page.labels().regenerateFailed;
    try {
      const response = await this.post(message, "regenerate");
      const body = await response.json().catch(() => null);
      handle = response.ok ? answerHandle(body?.answer) : null;
      if (response.status === 409) {
        problem = body?.error?.code === "session_busy" ? page.labels().errors.session_busy : page.labels().cannotRegenerate;
      }
    } catch {
      handle = null;
    }
    if (this.regenerating !== message) {
      return; // the page left this conversation meanwhile
    }
    this.regenerating = null;
    if (!handle) {
      page.changed();
      this.statusLine(message, problem);
      return;
    }
    message.text = "";
    message.time = new Date().toISOString();
    message.answer = { ...handle, cursor: 0, status: "pending", notice: null };
    page.save();
    this.stream(message);
  }

  /** Copy an answer's Markdown (a group of bubbles, one answer, whole from its last bubble). */
  async copy(message, button) {
    const text = message.group
      ? this.page.messages().filter((m) => m.group === message.group).map((m) => m.text).join("\n\n")
      : message.text;
    const copied = await copyText(text);
    const labels = this.page.labels();
    confirmCopy(button, labels, copied);
    this.page.announce(copied ? labels.copied : labels.copyFailed);
  }

  /**
   * Continue reading the answer of `messages` still being written, if there is one and none is
   * being read. At most one answer runs per session: older ones still marked running were cut.
   */
  resume(messages) {
    if (this.streaming) {
      return;
    }
    const active = messages.filter(isActive);
    for (const message of active.slice(0, -1)) {
      message.answer.status = "lost";
      this.page.refresh(message);
    }
    if (active.length) {
      this.stream(active[active.length - 1]);
    }
  }

  /** Stop reading and waiting here (the server's answer goes on); returns the message being read. */
  leave() {
    const run = this.streaming;
    this.streaming = null;
    this.regenerating = null;
    if (run) {
      run.controller.abort();
      run.view.dispose();
    }
    return run?.message ?? null;
  }
}
