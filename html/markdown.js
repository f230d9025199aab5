// A small, safe Markdown-to-DOM renderer for the bot's answers.
//
// It builds elements with createElement/createTextNode only: no HTML in the input is ever parsed
// (a "<script>" in an answer stays the text "<script>"), links are kept only for http(s) URLs and
// open in a new tab with rel="noopener noreferrer". Supported: paragraphs and line breaks,
// headings, **bold**, *italic*, ~~strike~~, `inline code`, fenced code blocks, bullet and numbered
// lists (nested by indentation), block quotes, horizontal rules, tables (GFM pipes),
// [links](https://...), <https://...> and bare https:// URLs, backslash escapes.

const SAFE_PROTOCOLS = new Set(["http:", "https:"]);
const MAX_DEPTH = 6;

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+#.-]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const BULLET = /^( {0,12})([-*+])[ \t]+(.*)$/;
const ORDERED = /^( {0,12})(\d{1,9})([.)])[ \t]+(.*)$/;
const TABLE_DELIMITER = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

/** The http(s) URL as a string, or null for anything else (javascript:, data:, relative...). */
export function safeUrl(raw) {
  try {
    const url = new URL(raw);
    return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** Render Markdown text into a new DocumentFragment. */
export function renderMarkdown(text) {
  const fragment = document.createDocumentFragment();
  const lines = String(text ?? "").replace(/\r\n?/g, "\n").split("\n");
  renderBlocks(lines, fragment, 0);
  return fragment;
}

function listItemMatch(line) {
  let m = BULLET.exec(line);
  if (m) {
    return { indent: m[1].length, ordered: false, marker: m[2], number: 1, content: m[3],
      width: m[1].length + m[2].length + 1 };
  }
  m = ORDERED.exec(line);
  if (m) {
    return { indent: m[1].length, ordered: true, marker: m[3], number: Number(m[2]), content: m[4],
      width: m[1].length + m[2].length + 2 };
  }
  return null;
}

function startsBlock(line) {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line)
    || listItemMatch(line) !== null;
}

function isBlank(line) {
  return line.trim() === "";
}

function renderBlocks(lines, parent, depth) {
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (isBlank(line)) {
      i += 1;
      continue;
    }
    if (depth >= MAX_DEPTH) {
      // Absurd nesting: the rest is shown as plain text.
      const p = document.createElement("p");
      appendText(p, lines.slice(i).join("\n").trim());
      parent.append(p);
      return;
    }
    let m = FENCE.exec(line);
    if (m) {
      i = renderFence(lines, i, m, parent);
      continue;
    }
    m = HEADING.exec(line);
    if (m) {
      const level = Math.min(6, m[1].length + 2);
      const heading = document.createElement(`h${level}`);
      renderInline(m[2], heading);
      parent.append(heading);
      i += 1;
      continue;
    }
    if (RULE.test(line)) {
      parent.append(document.createElement("hr"));
      i += 1;
      continue;
    }
    if (QUOTE.test(line)) {
      const inner = [];
      while (i < lines.length && !isBlank(lines[i])) {
        const q = QUOTE.exec(lines[i]);
        inner.push(q ? q[1] : lines[i]);
        i += 1;
      }
      const quote = document.createElement("blockquote");
      renderBlocks(inner, quote, depth + 1);
      parent.append(quote);
      continue;
    }
    const item = listItemMatch(line);
    if (item) {
      i = renderList(lines, i, item, parent, depth);
      continue;
    }
    if (isTableStart(lines, i)) {
      i = renderTable(lines, i, parent);
      continue;
    }
    const paragraph = [];
    while (i < lines.length && !isBlank(lines[i])
        && (paragraph.length === 0 || !(startsBlock(lines[i]) || isTableStart(lines, i)))) {
      paragraph.push(lines[i].trim());
      i += 1;
    }
    const p = document.createElement("p");
    renderInline(paragraph.join("\n"), p);
    parent.append(p);
  }
}

function tableCells(line) {
  let row = line.trim();
  if (row.startsWith("|")) {
    row = row.slice(1);
  }
  if (row.endsWith("|") && !row.endsWith("\\|")) {
    row = row.slice(0, -1);
  }
  // Split on pipes that are not escaped; "\|" stays a literal pipe.
  return row.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, "|"));
}

function isTableStart(lines, i) {
  return i + 1 < lines.length && lines[i].includes("|") && TABLE_DELIMITER.test(lines[i + 1])
    && lines[i + 1].includes("-") && tableCells(lines[i]).length === tableCells(lines[i + 1]).length;
}

function renderTable(lines, start, parent) {
  const header = tableCells(lines[start]);
  const aligns = tableCells(lines[start + 1]).map((cell) => {
    const left = cell.startsWith(":");
    const right = cell.endsWith(":");
    return left && right ? "center" : right ? "right" : left ? "left" : "";
  });
  const wrap = document.createElement("div");
  wrap.className = "table-wrap";
  const table = document.createElement("table");
  const head = document.createElement("thead");
  head.append(tableRow(header, "th", aligns));
  table.append(head);
  const body = document.createElement("tbody");
  let i = start + 2;
  while (i < lines.length && !isBlank(lines[i]) && lines[i].includes("|")) {
    body.append(tableRow(tableCells(lines[i]), "td", aligns));
    i += 1;
  }
  if (body.childNodes.length) {
    table.append(body);
  }
  wrap.append(table);
  parent.append(wrap);
  return i;
}

function tableRow(cells, tag, aligns) {
  const row = document.createElement("tr");
  aligns.forEach((align, index) => {
    const cell = document.createElement(tag);
    if (align) {
      cell.className = `align-${align}`;
    }
    renderInline(cells[index] ?? "", cell);
    row.append(cell);
  });
  return row;
}

function renderFence(lines, start, match, parent) {
  const fence = match[1];
  const closing = new RegExp(`^ {0,3}${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`);
  const body = [];
  let i = start + 1;
  while (i < lines.length && !closing.test(lines[i])) {
    body.push(lines[i]);
    i += 1;
  }
  const pre = document.createElement("pre");
  const code = document.createElement("code");
  const language = match[2];
  if (language) {
    code.className = `language-${language.replace(/[^\w+#.-]/g, "")}`;
    pre.dataset.language = language;
  }
  code.textContent = body.join("\n");
  pre.append(code);
  parent.append(pre);
  return i < lines.length ? i + 1 : i;
}

function renderList(lines, start, first, parent, depth) {
  const list = document.createElement(first.ordered ? "ol" : "ul");
  if (first.ordered && first.number !== 1) {
    list.start = first.number;
  }
  let i = start;
  while (i < lines.length) {
    const item = listItemMatch(lines[i]);
    if (!item || item.ordered !== first.ordered || item.indent > first.indent + 1
        || item.indent < first.indent) {
      break;
    }
    const content = [item.content];
    i += 1;
    while (i < lines.length) {
      const line = lines[i];
      if (isBlank(line)) {
        // A blank line continues the item only if indented content follows.
        const next = lines[i + 1];
        if (next !== undefined && !isBlank(next) && leadingSpaces(next) >= item.width) {
          content.push("");
          i += 1;
          continue;
        }
        break;
      }
      const sub = listItemMatch(line);
      if (sub && sub.indent <= first.indent + 1) {
        break;
      }
      if (leadingSpaces(line) >= item.width || sub) {
        content.push(line.slice(Math.min(leadingSpaces(line), item.width)));
      } else if (!startsBlock(line)) {
        content.push(line.trim()); // a lazy continuation of the item's text
      } else {
        break;
      }
      i += 1;
    }
    const li = document.createElement("li");
    const holder = document.createDocumentFragment();
    renderBlocks(content, holder, depth + 1);
    // A tight item (one paragraph) holds its text directly, not inside a <p>.
    if (holder.childNodes.length >= 1 && holder.firstChild.nodeName === "P" && !content.includes("")) {
      const p = holder.firstChild;
      holder.removeChild(p);
      li.append(...p.childNodes);
    }
    li.append(holder);
    list.append(li);
    // Blank lines between items of the same list keep the list going.
    let j = i;
    while (j < lines.length && isBlank(lines[j])) {
      j += 1;
    }
    const next = j < lines.length ? listItemMatch(lines[j]) : null;
    if (j > i && next && next.ordered === first.ordered && next.indent === first.indent) {
      i = j;
    }
  }
  parent.append(list);
  return i;
}

function leadingSpaces(line) {
  const m = /^[ \t]*/.exec(line);
  return m ? m[0].replace(/\t/g, "    ").length : 0;
}

// --- inline ------------------------------------------------------------------------------------

const INLINE_RULES = [
  { kind: "code", re: /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g },
  { kind: "escape", re: /\\([\\`*_{}[\]()#+\-.!~>|<])/g },
  { kind: "link", re: /\[([^\]\n]+)\]\(\s*<?([^\s<>()]+(?:\([^\s<>()]*\)[^\s<>()]*)*)>?(?:\s+"[^"\n]*")?\s*\)/g },
  { kind: "autolink", re: /<(https?:\/\/[^\s<>]+)>/g },
  { kind: "url", re: /\bhttps?:\/\/[^\s<>"'`]+/g },
  { kind: "strong", re: /\*\*(?=\S)([\s\S]*?\S)\*\*|(?<![\p{L}\p{N}_])__(?=\S)([\s\S]*?\S)__(?![\p{L}\p{N}_])/gu },
  { kind: "em", re: /\*(?=[^\s*])((?:\*\*[^*\n]+\*\*|[^*\n])*?[^\s*])\*|(?<![\p{L}\p{N}_])_(?=[^\s_])([^_\n]*?[^\s_])_(?![\p{L}\p{N}_])/gu },
  { kind: "del", re: /~~(?=\S)([^~\n]*?\S)~~/g },
];

function renderInline(text, parent, inLink = false) {
  // Each rule's next match is remembered: a match found from an earlier position stays the
  // leftmost one as long as it starts at or after the current position.
  const next = new Array(INLINE_RULES.length).fill(undefined);
  let pos = 0;
  while (pos < text.length) {
    let best = null;
    let bestRule = -1;
    for (let r = 0; r < INLINE_RULES.length; r += 1) {
      let m = next[r];
      if (m === undefined || (m !== null && m.index < pos)) {
        const re = INLINE_RULES[r].re;
        re.lastIndex = pos;
        m = re.exec(text);
        next[r] = m;
      }
      if (m !== null && (best === null || m.index < best.index)) {
        best = m;
        bestRule = r;
      }
    }
    if (best === null) {
      break;
    }
    if (best.index > pos) {
      appendText(parent, text.slice(pos, best.index));
    }
    const consumed = renderToken(INLINE_RULES[bestRule].kind, best, parent, inLink);
    pos = best.index + consumed;
  }
  if (pos < text.length) {
    appendText(parent, text.slice(pos));
  }
}

function renderToken(kind, m, parent, inLink) {
  switch (kind) {
    case "code": {
      const code = document.createElement("code");
      let body = m[2];
      if (body.length > 2 && body.startsWith(" ") && body.endsWith(" ") && body.trim()) {
        body = body.slice(1, -1);
      }
      code.textContent = body;
      parent.append(code);
      return m[0].length;
    }
    case "escape":
      parent.append(document.createTextNode(m[1]));
      return m[0].length;
    case "link": {
      const href = inLink ? null : safeUrl(m[2]);
      if (href === null) {
        renderInline(m[1], parent, inLink);
      } else {
        const a = makeLink(href);
        renderInline(m[1], a, true);
        parent.append(a);
      }
      return m[0].length;
    }
    case "autolink":
    case "url": {
      let raw = kind === "autolink" ? m[1] : m[0];
      let consumed = m[0].length;
      if (kind === "url") {
        const trimmed = trimUrl(raw);
        consumed = trimmed.length;
        raw = trimmed;
      }
      const href = inLink ? null : safeUrl(raw);
      if (href === null) {
        appendText(parent, kind === "autolink" ? m[0] : raw);
      } else {
        const a = makeLink(href);
        a.textContent = raw;
        parent.append(a);
      }
      return consumed;
    }
    case "strong":
    case "em":
    case "del": {
      const el = document.createElement(kind);
      renderInline(m[1] ?? m[2], el, inLink);
      parent.append(el);
      return m[0].length;
    }
    default:
      appendText(parent, m[0]);
      return m[0].length;
  }
}

/** A bare URL without trailing punctuation or an unbalanced closing parenthesis. */
function trimUrl(url) {
  let end = url.length;
  for (;;) {
    const ch = url[end - 1];
    if (".,;:!?'\"*_~".includes(ch)) {
      end -= 1;
      continue;
    }
    if (ch === ")") {
      const slice = url.slice(0, end);
      const opens = (slice.match(/\(/g) || []).length;
      const closes = (slice.match(/\)/g) || []).length;
      if (closes > opens) {
        end -= 1;
        continue;
      }
    }
    break;
  }
  return url.slice(0, end);
}

function makeLink(href) {
  const a = document.createElement("a");
  a.href = href;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  return a;
}

/** Text with its line breaks as <br> elements. */
function appendText(parent, text) {
  const parts = text.split("\n");
  parts.forEach((part, index) => {
    if (index > 0) {
      parent.append(document.createElement("br"));
    }
    if (part) {
      parent.append(document.createTextNode(part));
    }
  });
}
