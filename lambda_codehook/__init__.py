"""The bot's one code-hook Lambda: routes each Lex V2 event to the LLM fallback, a user's intent
handler, or Lex's default behaviour (see `router`)."""
