// html/replies.js: what the page makes of a 200 reply to POST /chat (and of a refusal).
import assert from "node:assert/strict";
import { test } from "node:test";

import { strings } from "../../../html/i18n.js";
import { answerBubbles, answerHandle, failure, replyMessages } from "../../../html/replies.js";

const groups = () => {
  let n = 0;
  return () => `g${(n += 1)}`;
};
const handle = { id: "ans-1", token: "tok-1", url: "chat/answers/ans-1" };

test("a streamed answer: one empty LLM message, pending, that the page reads the answer into", () => {
  const messages = replyMessages({ sessionId: "s", answer: { ...handle, extra: "ignored" }, messages: [] }, groups());
  assert.deepEqual(messages, [{
    role: "bot", source: "llm", text: "",
    answer: { ...handle, cursor: 0, status: "pending", notice: null },
  }]);
});

test("an intent's reply: one bubble per Lex message, grouped; an LLM or notice answer as one", () => {
  const lex = { source: "lex", messages: [{ content: "Hi." }, { content: "" }, { content: "Your name?" }] };
  assert.deepEqual(replyMessages(lex, groups()), [
    { role: "bot", text: "Hi.", source: "lex", group: "g1" },
    { role: "bot", text: "Your name?", source: "lex", group: "g1" },
  ]);
  const llm = { source: "llm", messages: [{ content: "One" }, { content: "Two" }] };
  assert.deepEqual(replyMessages(llm, groups()), [{ role: "bot", text: "One\n\nTwo", source: "llm" }]);
  assert.deepEqual(answerBubbles({ source: "who?", msg: "old shape" }, groups()), [{ role: "bot", text: "old shape", source: "lex", group: undefined }]);
});

test("a half-formed answer handle is none: the reply's bubbles are shown instead", () => {
  for (const answer of [{ id: "a", token: "", url: "u" }, { id: "a", token: "t" }, "a", null]) {
    assert.equal(answerHandle(answer), null);
    assert.deepEqual(replyMessages({ source: "llm", answer, messages: [{ content: "inline" }] }, groups()),
      [{ role: "bot", text: "inline", source: "llm" }]);
  }
});

test("a refusal's reason: known codes by name, else by status", () => {
  const errors = strings("en_US").errors;
  const headers = new Headers();
  assert.equal(failure(413, null, headers, errors).reason, "payload_too_large");
  assert.equal(failure(504, {}, headers, errors).reason, "upstream_timeout");
  assert.deepEqual(failure(502, { message: "Lex down" }, headers, errors), { reason: "upstream_failed", status: 502, detail: "Lex down" });
  assert.deepEqual(failure(500, { error: { message: "boom" } }, headers, errors), { reason: "generic", status: 500, detail: "boom" });
});
