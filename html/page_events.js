// Which click or browser event does what on the page. The page's buttons are drawn and redrawn
// all the time, so their clicks are taken where they land (the message list, the suggestions, the
// locale switch) and handed on by what the button carries: an answer's data-action and
// data-message, a failed message's data-retry, a chip's data-suggestion, a data-locale.

/**
 * ui: {messages, suggestions, newChat, localeSwitch}. on: {action(name, messageId, button),
 * retry(messageId), suggestion(text), newChat(), locale(locale), sessionChanged() (another tab
 * wrote the browser's conversation record, localStorage[sessionKey]), online() (the connection
 * is back)}.
 */
export function wirePageEvents(ui, on, { sessionKey, win = globalThis.window }) {
  ui.messages.addEventListener("click", (event) => {
    const action = event.target.closest("button[data-action]");
    if (action) {
      on.action(action.dataset.action, action.dataset.message, action);
      return;
    }
    const retry = event.target.closest("button[data-retry]");
    if (retry) {
      on.retry(retry.dataset.retry);
    }
  });
  ui.suggestions.addEventListener("click", (event) => {
    const chip = event.target.closest("button[data-suggestion]");
    if (chip) {
      on.suggestion(chip.dataset.suggestion);
    }
  });
  ui.newChat.addEventListener("click", () => on.newChat());
  ui.localeSwitch.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-locale]");
    if (button) {
      on.locale(button.dataset.locale);
    }
  });
  win.addEventListener("storage", (event) => {
    if (event.key === sessionKey) {
      on.sessionChanged();
    }
  });
  win.addEventListener("online", () => on.online());
}
