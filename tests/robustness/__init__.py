"""Robustness: bad input, fuzzing, faults, load and security checks of the whole chatbot (issue 6)."""
