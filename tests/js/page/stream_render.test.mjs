// html/stream_render.js: a growing answer rendered as Markdown into one container, once per frame,
// with cut constructs shown as they will be and finished blocks left untouched.
import assert from "node:assert/strict";
import { test } from "node:test";

import { forbidHtmlParsing, html } from "./dom.mjs";
import { renderMarkdown } from "../../../html/markdown.js";
import { StreamingMarkdown, displayText, patchChildren } from "../../../html/stream_render.js";

const htmlWrites = forbidHtmlParsing();

/** Frames the test runs by hand. */
function frames() {
  const queue = new Map();
  let next = 1;
  return {
    requestFrame: (callback) => {
      queue.set(next, callback);
      return next++;
    },
    cancelFrame: (handle) => queue.delete(handle),
    run() {
      const callbacks = [...queue.values()];
      queue.clear();
      callbacks.forEach((callback) => callback());
      return callbacks.length;
    },
    get pending() {
      return queue.size;
    },
  };
}

const rendered = (text) => html(renderMarkdown(text));

test("an unclosed fence is an open code block, never raw backticks", () => {
  assert.equal(rendered(displayText("Code:\n```python\nprint(1)")), '<p>Code:</p><pre data-language="python"><code class="language-python">print(1)</code></pre>');
  assert.equal(rendered(displayText("```js")), '<pre data-language="js"><code class="language-js"></code></pre>');
  // The first backticks of a fence wait for the rest of it.
  assert.equal(rendered(displayText("Code:\n``")), "<p>Code:</p>");
  // Markers inside an open fence are code, left alone.
  assert.equal(displayText("```\n**not bold"), "```\n**not bold");
});

test("cut inline constructs are closed for display, or wait when nothing follows them", () => {
  assert.equal(rendered(displayText("Use `recognize_t")), "<p>Use <code>recognize_t</code></p>");
  assert.equal(rendered(displayText("Use `")), "<p>Use</p>");
  assert.equal(rendered(displayText("This is **very imp")), "<p>This is <strong>very imp</strong></p>");
  assert.equal(rendered(displayText("This is **")), "<p>This is</p>");
  assert.equal(rendered(displayText("old ~~gone")), "<p>old <del>gone</del></p>");
  assert.equal(rendered(displayText("See [the docs](https://docs.aws.amaz")), "<p>See the docs</p>");
  // Finished constructs and earlier paragraphs are left as they are.
  assert.equal(displayText("**a** and `b`\n\nplain"), "**a** and `b`\n\nplain");
  assert.equal(displayText("2 ** 3 is 8 and `x ** y`"), "2 ** 3 is 8 and `x ** y`");
});

test("appends render at most once per frame, into the same container", () => {
  const container = document.createElement("div");
  const clock = frames();
  const view = new StreamingMarkdown(container, clock);
  for (const piece of ["Hello ", "**wor", "ld** and", " more"]) {
    view.append(piece);
  }
  assert.equal(container.childNodes.length, 0, "nothing renders before the frame");
  assert.equal(clock.pending, 1, "four pieces, one frame");
  clock.run();
  assert.equal(view.renders, 1);
  assert.equal(html(container), "<div><p>Hello <strong>world</strong> and more</p></div>");
  assert.equal(clock.run(), 0, "no frame without new text");
});

test("finished paragraphs keep their nodes while the last one grows", () => {
  const container = document.createElement("div");
  const clock = frames();
  const view = new StreamingMarkdown(container, clock);
  view.append("First paragraph.\n\nSecond");
  clock.run();
  const first = container.firstChild;
  const firstText = first.firstChild;
  view.append(" grows *and* grows.\n\n- item");
  clock.run();
  assert.equal(container.firstChild, first, "the finished paragraph is the same node");
  assert.equal(first.firstChild, firstText);
  assert.equal(html(container), "<div><p>First paragraph.</p><p>Second grows <em>and</em> grows.</p><ul><li>item</li></ul></div>");
});

test("a code block grows in place and the final text renders at once without completion", () => {
  const container = document.createElement("div");
  const clock = frames();
  const view = new StreamingMarkdown(container, clock);
  view.append("```sh\nmake");
  clock.run();
  assert.equal(html(container), '<div><pre data-language="sh"><code class="language-sh">make</code></pre></div>');
  view.append(" serve\n```\nDone, **really");
  view.set(view.text, { final: true });
  assert.equal(clock.pending, 0, "the final render cancelled the pending frame");
  assert.equal(html(container), '<div><pre data-language="sh"><code class="language-sh">make serve</code></pre><p>Done, **really</p></div>');
});

test("patchChildren replaces only what changed", () => {
  const container = document.createElement("div");
  patchChildren(container, renderMarkdown("a\n\nb\n\nc"));
  const [a, b] = container.childNodes;
  const replaced = patchChildren(container, renderMarkdown("a\n\nb\n\nC!\n\nd"));
  assert.equal(replaced, 2);
  assert.equal(container.childNodes[0], a);
  assert.equal(container.childNodes[1], b);
  assert.equal(html(container), "<div><p>a</p><p>b</p><p>C!</p><p>d</p></div>");
  patchChildren(container, renderMarkdown("a"));
  assert.equal(html(container), "<div><p>a</p></div>");
});

test("HTML in a streamed answer stays text, and nothing assigns innerHTML", () => {
  const container = document.createElement("div");
  const clock = frames();
  const view = new StreamingMarkdown(container, clock);
  for (const piece of ["<img src=x onerror=", "alert(1)> <scr", "ipt>x</script>"]) {
    view.append(piece);
    clock.run();
  }
  assert.equal(container.querySelectorAll("img, script").length, 0);
  assert.equal(container.textContent, "<img src=x onerror=alert(1)> <script>x</script>");
  assert.deepEqual(htmlWrites, []);
});
