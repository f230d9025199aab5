"""Unit tests of the Lex emulator's intent recogniser (lex_emulator.nlu) and its CLINC150 bench."""
