"""The errors the emulator raises: Lex V2 runtime errors (as they go on the wire) and load-time errors.

A `LexError` carries the name botocore turns into ``client.exceptions.<Name>`` (sent in the
``x-amzn-ErrorType`` header) and the HTTP status the Lex V2 runtime service model gives it.
`BotDefinitionError` and `DeploymentError` are raised while loading, never on the wire.
"""

from __future__ import annotations


class LexError(Exception):
    """An error RecognizeText / GetSession / PutSession / DeleteSession answers on the wire."""

    name = "InternalServerException"
    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationException(LexError):  # noqa: N818 - named as Lex names it on the wire
    name = "ValidationException"
    status = 400


class AccessDeniedException(LexError):  # noqa: N818 - named as Lex names it on the wire
    name = "AccessDeniedException"
    status = 403


class ResourceNotFoundException(LexError):  # noqa: N818 - named as Lex names it on the wire
    name = "ResourceNotFoundException"
    status = 404


class ConflictException(LexError):  # noqa: N818 - named as Lex names it on the wire
    name = "ConflictException"
    status = 409


class DependencyFailedException(LexError):  # noqa: N818 - named as Lex names it on the wire
    name = "DependencyFailedException"
    status = 424


class ThrottlingException(LexError):  # noqa: N818 - named as Lex names it on the wire
    name = "ThrottlingException"
    status = 429


class InternalServerException(LexError):  # noqa: N818 - named as Lex names it on the wire
    name = "InternalServerException"
    status = 500


class BadGatewayException(LexError):  # noqa: N818 - named as Lex names it on the wire
    name = "BadGatewayException"
    status = 502


class BotDefinitionError(ValueError):
    """The bot definition uses something the emulator does not implement, or is malformed.

    ``path`` names the offending field the way a reader finds it in the JSON file, e.g.
    ``BotLocales[0].Intents[1].DialogCodeHook``.
    """

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}" if path else problem)
        self.path = path
        self.problem = problem


class DeploymentError(ValueError):
    """A bot deployment cannot be added (duplicate ids, a code hook that does not import, ...)."""
