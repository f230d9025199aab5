// html/sse.js: the page's Server-Sent Events parser, fed the same bytes cut in every possible way.
import assert from "node:assert/strict";
import { test } from "node:test";

import { SseParser } from "../../../html/sse.js";

const encoder = new TextEncoder();

function parseChunks(chunks) {
  const parser = new SseParser();
  const out = [];
  for (const chunk of chunks) {
    out.push(...parser.push(chunk));
  }
  out.push(...parser.finish());
  return out;
}

/** Every way to cut `bytes` in two and in three pieces, and one byte at a time. */
function* everySplit(bytes) {
  for (let i = 0; i <= bytes.length; i += 1) {
    yield [bytes.slice(0, i), bytes.slice(i)];
  }
  for (let i = 1; i < bytes.length; i += 1) {
    for (let j = i; j < bytes.length; j += 1) {
      yield [bytes.slice(0, i), bytes.slice(i, j), bytes.slice(j)];
    }
  }
  yield Array.from(bytes, (b) => Uint8Array.of(b));
}

const STREAM = [
  "\uFEFF: keep-alive\r\n\r\n",
  'event: delta\r\nid: 1\r\ndata: {"text": "안녕하세요 "}\r\n\r\n',
  'event: delta\nid: 2\ndata: {"text": "🙂 emoji"}\n\n',
  'event: delta\rid: 3\rdata: {"text": "CR only"}\r\r',
  "data: line one\ndata: line two\ndata:\n\n",
  "event: ignored-no-data\nid: 4\n\n",
  "retry: 1500\nunknown: field\ndata:no space\n\n",
  'event: end\r\nid: 5\r\ndata: {"status": "done", "errorKind": null, "finishReason": "stop", "notice": null}\r\n\r\n',
  "data: cut off at the end, never dispatched\n",
].join("");

const EXPECTED = [
  { type: "comment", text: "keep-alive" },
  { type: "event", event: "delta", data: '{"text": "안녕하세요 "}', id: "1" },
  { type: "event", event: "delta", data: '{"text": "🙂 emoji"}', id: "2" },
  { type: "event", event: "delta", data: '{"text": "CR only"}', id: "3" },
  { type: "event", event: "message", data: "line one\nline two\n", id: "3" },
  { type: "event", event: "message", data: "no space", id: "4" },
  {
    type: "event",
    event: "end",
    data: '{"status": "done", "errorKind": null, "finishReason": "stop", "notice": null}',
    id: "5",
  },
];

test("the whole stream at once gives each event, comment, id and multi-line data", () => {
  assert.deepEqual(parseChunks([encoder.encode(STREAM)]), EXPECTED);
});

test("every cut of the bytes (inside UTF-8 characters, between CR and LF) gives the same events", () => {
  const bytes = encoder.encode(STREAM);
  let cuts = 0;
  for (const chunks of everySplit(bytes)) {
    assert.deepEqual(parseChunks(chunks), EXPECTED, `cut at ${chunks.map((c) => c.length).join("+")}`);
    cuts += 1;
  }
  assert.ok(cuts > bytes.length * 10);
});

test("retry is read, an id with NUL is ignored, an unknown event type passes through", () => {
  const parser = new SseParser();
  const out = parser.push("id: 7\ndata: a\n\nid: 8\0x\nevent: other\ndata: b\n\nretry: x1\n\n");
  assert.deepEqual(out, [
    { type: "event", event: "message", data: "a", id: "7" },
    { type: "event", event: "other", data: "b", id: "7" },
  ]);
  parser.push("retry: 2500\n\n");
  assert.equal(parser.retry, 2500);
});

test("a line with no colon is a field with an empty value", () => {
  assert.deepEqual(parseChunks(["data\n\n"]), [{ type: "event", event: "message", data: "", id: "" }]);
});

test("a CR at the end of one chunk and a LF at the start of the next are one line end", () => {
  const out = parseChunks(["data: x\r", "\n", "\r", "\ndata: y\r\n\r\n"]);
  assert.deepEqual(out.map((e) => e.data), ["x", "y"]);
});
