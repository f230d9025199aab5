"""Concurrent sessions on the dev server and session churn on the emulator."""
