// html/time_format.js: message times in the page's language, one formatter kept per language and kind.
import assert from "node:assert/strict";
import { test } from "node:test";

import { builtFormatters, formatTime, warmTimeFormats } from "../../../html/time_format.js";

const NOW = new Date(2026, 11, 1, 15, 0);

test("today's message shows the hour alone, an older one its date too", () => {
  const today = formatTime(new Date(2026, 11, 1, 9, 5).toISOString(), "en_US", NOW);
  assert.match(today, /^9:05\s?AM$/);
  const earlier = formatTime(new Date(2026, 10, 28, 9, 5).toISOString(), "en_US", NOW);
  assert.match(earlier, /Nov 28/);
  // (node may carry English-only ICU data: the Korean wording is checked in the browser tests)
  assert.match(formatTime(new Date(2026, 11, 1, 14, 30).toISOString(), "ko_KR", NOW), /2:30/);
});

test("an unreadable time is shown as nothing", () => {
  assert.equal(formatTime("t", "en_US", NOW), "");
  assert.equal(formatTime(undefined, "ko_KR", NOW), "");
});

test("formatters are built once per language and kind, and warming builds them ahead", () => {
  warmTimeFormats(["ko_KR", "en_US", "es_ES"]); // es_ES reads the English page
  const built = builtFormatters();
  assert.equal(built, 4);
  for (let i = 0; i < 20; i += 1) {
    formatTime(new Date(2026, 11, 1, 8, i).toISOString(), "en_US", NOW);
    formatTime(new Date(2026, 10, 2, 8, i).toISOString(), "ko_KR", NOW);
  }
  assert.equal(builtFormatters(), built);
});
