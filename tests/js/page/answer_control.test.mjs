// html/answer_control.js: which answer a page continues reading after a reload or a server reload.
import assert from "node:assert/strict";
import { test } from "node:test";

import { AnswerControl } from "../../../html/answer_control.js";

function answer(id, status) {
  return { id, role: "bot", source: "llm", text: "", time: "t",
    answer: { id: `a-${id}`, token: "t", url: `/chat/answers/a-${id}`, cursor: 0, status, notice: null } };
}

/** An AnswerControl whose reading is recorded instead of done (reading itself is answer_stream's). */
function control() {
  const refreshed = [];
  const streamed = [];
  const answers = new AnswerControl({ refresh: (message) => refreshed.push(message.id) });
  answers.stream = (message) => streamed.push(message.id);
  return { answers, refreshed, streamed };
}

test("resume reads the last answer still being written; older ones still running were cut: lost", () => {
  const { answers, refreshed, streamed } = control();
  const messages = [answer("1", "running"), answer("2", "done"), answer("3", "pending"), answer("4", "running")];
  answers.resume(messages);
  assert.deepEqual(streamed, ["4"]);
  assert.deepEqual(messages.map((m) => m.answer.status), ["lost", "done", "lost", "running"]);
  assert.deepEqual(refreshed, ["1", "3"]);
});

test("resume does nothing when no answer is being written, or one is already being read", () => {
  const { answers, streamed } = control();
  answers.resume([answer("1", "done"), answer("2", "stopped"), { id: "u", role: "user", text: "q", time: "t" }]);
  assert.deepEqual(streamed, []);
  answers.streaming = { message: answer("9", "running") };
  const running = [answer("3", "running")];
  answers.resume(running);
  assert.deepEqual(streamed, []);
  assert.equal(running[0].answer.status, "running");
});
