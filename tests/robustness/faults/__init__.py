"""Faults of the LLM, of Lex (or the emulator) and of Secrets Manager: friendly answers, prompt errors."""
