// A browser-like document for the page modules under node: jsdom's window, installed as the globals
// the modules use (document, Node...). Import it before the module under test.
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>", { url: "http://127.0.0.1/" });
for (const name of ["window", "document", "Node", "DocumentFragment", "HTMLElement", "Element", "sessionStorage", "localStorage"]) {
  globalThis[name] = name === "window" ? dom.window : dom.window[name];
}

// jsdom has no CSS.escape. The page only escapes ids inside a quoted attribute selector, where a
// backslash before any character stands for that character: enough for the tests.
globalThis.CSS ??= { escape: (value) => String(value).replace(/[^a-zA-Z0-9_-]/g, "\\$&") };

/** The HTML a container holds, for comparisons (serialised by jsdom, never assigned back). */
export function html(node) {
  const box = document.createElement("div");
  box.append(node.cloneNode(true));
  return node.nodeType === 11 ? box.innerHTML : box.firstChild.outerHTML;
}

/** Fails the test if any module assigns innerHTML/outerHTML or calls insertAdjacentHTML. */
export function forbidHtmlParsing() {
  const proto = dom.window.Element.prototype;
  const forbidden = [];
  for (const property of ["innerHTML", "outerHTML"]) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, property);
    Object.defineProperty(proto, property, {
      ...descriptor,
      set(value) {
        forbidden.push(`${property} = ${String(value).slice(0, 40)}`);
        descriptor.set.call(this, value);
      },
    });
  }
  const insert = proto.insertAdjacentHTML;
  proto.insertAdjacentHTML = function (...args) {
    forbidden.push("insertAdjacentHTML");
    return insert.apply(this, args);
  };
  return forbidden;
}

export { dom };
