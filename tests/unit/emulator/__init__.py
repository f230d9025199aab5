"""Unit tests of the Lex V2 emulator's plain parts (no sockets)."""
