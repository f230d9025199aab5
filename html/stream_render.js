// Renders an answer that is still growing, as Markdown, into one container that stays in place.
//
// Text arriving piece by piece is rendered at most once per animation frame with markdown.js
// (DOM nodes only, never innerHTML). Only the top-level blocks that changed are replaced: finished
// paragraphs keep their nodes (a selection in them survives) and nothing flickers. While the
// answer grows, a construct cut in the middle is shown as it will be, not as raw markers: an open
// ``` fence is an open code block, `code, **bold and ~~struck text are closed for display, a
// link whose URL is still arriving shows its text, and a lone trailing ` or ** waits for more.

import { renderMarkdown } from "./markdown.js";

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
const FENCE_PREFIX = /^ {0,3}(`{1,2}|~{1,2})$/;

/** Where the text is inside an open fenced code block: the index after the fence line, or -1. */
function openFence(lines) {
  let fence = null;
  for (const line of lines) {
    if (fence === null) {
      const m = FENCE_OPEN.exec(line);
      if (m && !(m[1][0] === "`" && line.slice(m[0].length).includes("`"))) {
        fence = m[1];
      }
    } else {
      const closing = new RegExp(`^ {0,3}${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`);
      if (closing.test(line)) {
        fence = null;
      }
    }
  }
  return fence !== null;
}

/** Where an emphasis `marker` opened in `masked` is still open at its end, or -1. An opener is
 * followed by a non-space (or is the text's last thing), a closer preceded by a non-space (so
 * "2 ** 3" opens nothing). */
function openMarker(masked, marker) {
  const run = marker[0] === "*" ? "\\*" : "~";
  const re = new RegExp(`(?<!\\\\|${run})${run}{2}(?!${run})`, "g");
  let open = -1;
  let m;
  while ((m = re.exec(masked)) !== null) {
    const before = masked[m.index - 1] ?? " ";
    const after = masked[m.index + 2];
    if (open !== -1 && /\S/.test(before)) {
      open = -1;
    } else if (open === -1 && (after === undefined || /\S/.test(after))) {
      open = m.index; // at the very end it may be an opener still arriving
    }
  }
  return open;
}

/** Close an emphasis marker left open at the end of `text`, or drop it when nothing follows it. */
function closeMarker(text, masked, marker) {
  const open = openMarker(masked, marker);
  if (open === -1) {
    return text;
  }
  if (text.slice(open + marker.length).trim() === "") {
    return text.slice(0, open).trimEnd();
  }
  return text.trimEnd() + marker;
}

/** The inline constructs of the last paragraph, closed for display. */
function completeInline(tail) {
  let text = tail;
  // A link whose URL is still arriving: show its text alone (the renderer drops unsafe targets).
  text = text.replace(/\[([^\]\n]+)\]\([^)\s]*$/, "[$1](#)");
  // An open code span: close it (or drop a lone trailing run of backticks).
  const codeSpans = /(?<!\\)(`+)/g;
  let open = null;
  let m;
  while ((m = codeSpans.exec(text)) !== null) {
    if (open === null) {
      open = { run: m[1], index: m.index };
    } else if (m[1] === open.run) {
      open = null;
    }
  }
  if (open !== null) {
    if (text.slice(open.index + open.run.length).trim() === "") {
      return text.slice(0, open.index).trimEnd();
    }
    return text + open.run;
  }
  // Code spans masked (same length) so that markers inside them do not count.
  const masked = () => text.replace(/(`+)[\s\S]*?\1/g, (span) => " ".repeat(span.length));
  text = closeMarker(text, masked(), "**");
  text = closeMarker(text, masked(), "~~");
  return text;
}

/** The text to render while the answer is still growing (the final text is rendered as it is). */
export function displayText(text) {
  const lines = String(text ?? "").replace(/\r\n?/g, "\n").split("\n");
  if (openFence(lines)) {
    return lines.join("\n"); // markdown.js renders an unclosed fence as an open code block
  }
  if (lines.length && FENCE_PREFIX.test(lines[lines.length - 1])) {
    lines.pop(); // the start of a fence: wait for the rest of it
  }
  let start = lines.length;
  while (start > 0 && lines[start - 1].trim() !== "") {
    start -= 1;
  }
  const head = lines.slice(0, start);
  const tail = lines.slice(start).join("\n");
  return [...head, completeInline(tail)].join("\n");
}

/** Make `container`'s children those of `fragment`, keeping the leading ones that did not change. */
export function patchChildren(container, fragment) {
  const fresh = Array.from(fragment.childNodes);
  const old = Array.from(container.childNodes);
  let same = 0;
  while (same < old.length && same < fresh.length && old[same].isEqualNode(fresh[same])) {
    same += 1;
  }
  for (const node of old.slice(same)) {
    node.remove();
  }
  container.append(...fresh.slice(same));
  return fresh.length - same;
}

/** One growing answer rendered into `container`, at most once per animation frame. */
export class StreamingMarkdown {
  constructor(container, {
    requestFrame = (callback) => globalThis.requestAnimationFrame(callback),
    cancelFrame = (handle) => globalThis.cancelAnimationFrame(handle),
    beforeRender = () => {},
    onRender = () => {},
  } = {}) {
    this.container = container;
    this.requestFrame = requestFrame;
    this.cancelFrame = cancelFrame;
    this.beforeRender = beforeRender;
    this.onRender = onRender;
    this.text = "";
    this.final = false;
    this.frame = null;
    this.renders = 0;
  }

  /** Add a piece of text; it shows by the next frame. */
  append(piece) {
    this.set(this.text + piece);
  }

  /** Replace the whole text (final: no completion of cut constructs, rendered at once). */
  set(text, { final = false } = {}) {
    this.text = text;
    this.final = final;
    if (final) {
      this.flush();
    } else if (this.frame === null) {
      this.frame = this.requestFrame(() => {
        this.frame = null;
        this.render();
      });
    }
  }

  /** Render into another container from now on (the message was drawn again), at once. */
  attach(container) {
    this.container = container;
    this.flush();
  }

  /** Render now whatever is pending. */
  flush() {
    if (this.frame !== null) {
      this.cancelFrame(this.frame);
      this.frame = null;
    }
    this.render();
  }

  render() {
    const text = this.final ? this.text : displayText(this.text);
    const context = this.beforeRender();
    patchChildren(this.container, renderMarkdown(text));
    this.renders += 1;
    this.onRender(context);
  }

  /** Stop any pending frame (the message is going away). */
  dispose() {
    if (this.frame !== null) {
      this.cancelFrame(this.frame);
      this.frame = null;
    }
  }
}
