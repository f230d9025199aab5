// Copies text to the clipboard: the asynchronous Clipboard API where the page may use it (a
// secure context, permission granted), else a hidden textarea and the older copy command (pages
// served over plain http from another host, older browsers).

/** Copy `text`; resolves true when it was copied, false when neither way worked. */
export async function copyText(text, { navigatorImpl = globalThis.navigator, documentImpl = globalThis.document } = {}) {
  if (navigatorImpl?.clipboard && typeof navigatorImpl.clipboard.writeText === "function") {
    try {
      await navigatorImpl.clipboard.writeText(text);
      return true;
    } catch {
      // Refused (no permission, not focused): try the older way.
    }
  }
  return copyWithTextarea(text, documentImpl);
}

function copyWithTextarea(text, doc) {
  if (!doc?.body || typeof doc.execCommand !== "function") {
    return false;
  }
  const area = doc.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.top = "0";
  area.style.left = "0";
  area.style.opacity = "0";
  const active = doc.activeElement;
  doc.body.append(area);
  area.select();
  let copied = false;
  try {
    copied = doc.execCommand("copy");
  } catch {
    copied = false;
  }
  area.remove();
  if (active && typeof active.focus === "function") {
    active.focus({ preventScroll: true });
  }
  return copied;
}
