"""The answer store's one error of its own (bad arguments are ValueError, a busy session SessionBusyError)."""

from __future__ import annotations


class AnswerStoreError(Exception):
    """The store could not be read or written (DynamoDB refused or did not answer). The message names
    the operation and the table, never user data or tokens: it is for logs."""
