"""Unit tests: pure Python, no sockets, no cloud."""
