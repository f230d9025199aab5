"""Where the OpenAI-compatible provider's API key comes from.

In AWS the key lives in Secrets Manager; the environment holds only the secret's name. The value is
fetched on the first turn that needs it and kept for SECRET_TTL_SECONDS, so a rotated key is picked
up without a redeploy (and at once after the provider rejects the old one: `invalidate`). The
secret's value is the raw key or JSON `{"apiKey": "..."}`. No value yet (ResourceNotFoundException),
an empty value or the placeholder all mean "not configured"; those outcomes are not cached, so the
first turn after `put-secret-value` works. Locally the key is OPENAI_API_KEY, or none at all for a
keyless server.

The key never appears in a log line, an exception message or a repr.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, cast

import botocore.session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from .llm import LlmKeyUnavailableError, LlmNotConfiguredError

if TYPE_CHECKING:
    from mypy_boto3_secretsmanager import SecretsManagerClient

PLACEHOLDER = "REPLACE_WITH_YOUR_API_KEY"


class KeySource(Protocol):
    """Gives the API key to send, or None to send no Authorization header."""

    def get(self) -> str | None: ...

    def invalidate(self) -> None: ...


class StaticKey:
    """A key known at start-up (local mode's OPENAI_API_KEY), or None for keyless servers."""

    def __init__(self, key: str | None) -> None:
        self._key = key or None

    def get(self) -> str | None:
        return self._key

    def invalidate(self) -> None:
        return None

    def __repr__(self) -> str:
        return f"StaticKey({'<set>' if self._key else None})"


def secrets_manager_client() -> SecretsManagerClient:
    """A Secrets Manager client with short timeouts: the lookup shares the turn's deadline.
    (botocore directly: boto3 would add about 15 ms of cold start and nothing used here.)"""
    config = Config(
        connect_timeout=1.0, read_timeout=2.0, retries={"mode": "standard", "total_max_attempts": 2}
    )
    client = botocore.session.get_session().create_client("secretsmanager", config=config)
    return cast("SecretsManagerClient", client)


class SecretsManagerKey:
    """The key from a Secrets Manager secret, cached for `ttl_seconds` (0: fetched every turn).

    The client comes from `client_factory`, or by default from this module's
    `secrets_manager_client`, looked up when the first fetch needs a client (not bound when the class
    is defined), so replacing that function also reaches key sources built afterwards."""

    def __init__(
        self,
        secret_name: str,
        *,
        ttl_seconds: float,
        client_factory: Callable[[], SecretsManagerClient] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.secret_name = secret_name
        self._ttl = ttl_seconds
        self._client_factory = client_factory
        self._client: SecretsManagerClient | None = None
        self._clock = clock
        self._key: str | None = None
        self._fetched_at = 0.0

    def get(self) -> str:
        now = self._clock()
        if self._key is not None and now - self._fetched_at < self._ttl:
            return self._key
        key = self._fetch()
        self._key, self._fetched_at = key, now
        return key

    def invalidate(self) -> None:
        self._key = None

    def __repr__(self) -> str:
        return f"SecretsManagerKey({self.secret_name!r})"

    def _fetch(self) -> str:
        if self._client is None:
            factory = self._client_factory or secrets_manager_client
            self._client = factory()
        try:
            response = self._client.get_secret_value(SecretId=self.secret_name)
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code") or "Unknown")
            if code == "ResourceNotFoundException":
                raise LlmNotConfiguredError("the secret has no value yet") from None
            raise LlmKeyUnavailableError(f"GetSecretValue failed: {code}") from None
        except BotoCoreError as error:
            raise LlmKeyUnavailableError(f"GetSecretValue failed: {type(error).__name__}") from None
        return key_from_secret_value(response.get("SecretString"))


def key_from_secret_value(value: str | None) -> str:
    """The API key in a secret's value (raw, or JSON with "apiKey"); LlmNotConfiguredError otherwise."""
    if value is None:
        raise LlmNotConfiguredError("the secret has no string value")
    text = value.strip()
    if not text or text == PLACEHOLDER:
        raise LlmNotConfiguredError("the secret is empty or still the placeholder")
    if not text.startswith("{"):
        return text
    try:
        document = json.loads(text)
    except ValueError:
        raise LlmNotConfiguredError("the secret looks like JSON but is not valid JSON") from None
    key = document.get("apiKey") if isinstance(document, dict) else None
    if not isinstance(key, str) or not key.strip() or key.strip() == PLACEHOLDER:
        raise LlmNotConfiguredError('the secret is JSON without a usable "apiKey" string')
    return key.strip()
