// html/i18n.js: every label, the new buttons' included, exists in every language the page has.
import assert from "node:assert/strict";
import { test } from "node:test";

import { LOCALE_NAMES, format, strings } from "../../../html/i18n.js";

function keys(value, prefix = "") {
  return Object.entries(value).flatMap(([key, inner]) =>
    inner && typeof inner === "object" && !Array.isArray(inner) ? keys(inner, `${prefix}${key}.`) : [`${prefix}${key}`]);
}

const LANGUAGES = Object.keys(LOCALE_NAMES).map((locale) => [locale, strings(locale)]);
const NEW_LABELS = [
  "copy", "copyLabel", "copied", "copyFailed", "stop", "stopLabel", "stopping", "stopFailed", "regenerate",
  "regenerateLabel", "resume", "resumeLabel", "reconnecting", "busyHint", "answerStopped", "answerFailed",
  "answerLost", "answerGone", "cannotRegenerate", "regenerateFailed",
];

test("every language has the same labels, none empty", () => {
  const [, first] = LANGUAGES[0];
  const expected = keys(first).sort();
  for (const [locale, labels] of LANGUAGES) {
    assert.deepEqual(keys(labels).sort(), expected, locale);
    for (const key of keys(labels)) {
      const value = key.split(".").reduce((node, part) => node[part], labels);
      assert.ok(Array.isArray(value) ? value.length : String(value).trim(), `${locale} ${key} is empty`);
    }
  }
  assert.ok(LANGUAGES.length >= 2);
});

test("the streaming controls have their labels in every language, each its own", () => {
  for (const key of NEW_LABELS) {
    const values = LANGUAGES.map(([, labels]) => labels[key]);
    assert.ok(values.every((v) => typeof v === "string" && v), key);
    assert.equal(new Set(values).size, values.length, `${key} is not translated`);
  }
});

test("placeholders are filled", () => {
  assert.equal(format("{n}/{max}", { n: 3, max: 9 }), "3/9");
  assert.equal(format("{missing}", {}), "{missing}");
});
