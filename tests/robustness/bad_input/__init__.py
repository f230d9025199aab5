"""Malformed requests against the dev server (real HTTP) and the /chat handler (proxy events)."""
