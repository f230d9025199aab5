"""The template, the logs and the session ids: nothing secret leaks, no session reads another."""
