"""The embedding API: `LexEmulator` holds bot deployments and sessions; `serve` puts it on HTTP.

    from lex_emulator import LexEmulator, BotDeployment
    emu = LexEmulator()
    emu.add_bot(BotDeployment(bot_id="LOCALBOT01", alias_id="LOCALALIAS", alias_name="live",
                              bot_name="HelloWorldBot", definition_path=Path("bot/bot.json"),
                              code_hook="lambda_chatgpt.handler:handler"))
    running = emu.serve(host="127.0.0.1", port=0)   # a background thread
    running.url                                       # "http://127.0.0.1:PORT"
    running.shutdown()

Options for tests and tools: ``hook_timeout_seconds`` (30, as Lex gives a code hook),
``idle_session_ttl_seconds`` (overrides the definition's ``IdleSessionTTLInSeconds``), ``clock``
(monotonic seconds; drives idle expiry and the fake Lambda context), ``recognizer_factory`` (the
NLU; default ``lex_emulator.nlu.build_recognizer``), ``rng`` (picks message variations), ``today``
(the calendar day relative dates such as "tomorrow" resolve against: a date, or a callable giving
one; default the machine's local date).
"""

from __future__ import annotations

import datetime
import json
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .code_hook import DEFAULT_HOOK_TIMEOUT_SECONDS, HandlerFunction, load_handler
from .definition import BotDef
from .definition_loader import load_bot_definition
from .dialog import BotInfo, LocaleRuntime, TurnResult
from .errors import DeploymentError, ResourceNotFoundException
from .recognition import IntentRanker, RecognizerFactory, default_recognizer_factory
from .sessions import SessionKey, SessionStore
from .slot_types import warm_up
from .wire import (
    Route,
    packed_header,
    parse_json_object,
    validate_put_session,
    validate_recognize_text,
    validate_session_route,
)

_log = logging.getLogger("lex_emulator.emulator")
_BOT_ID = re.compile(r"^[0-9a-zA-Z]{10}$")
_ALIAS_ID = re.compile(r"^[0-9a-zA-Z]{1,100}$")


@dataclass(frozen=True)
class BotDeployment:
    """One bot alias to serve: ids and names as Lex shows them, the definition, and the code hook.

    ``code_hook`` is an import path (``"package.module:function"``) or a callable; it serves every
    locale, as the alias's Lambda code hook does. ``bot_version`` is what code-hook events report.
    """

    bot_id: str
    alias_id: str
    alias_name: str
    bot_name: str
    definition_path: Path
    code_hook: str | HandlerFunction | None = None
    bot_version: str = "DRAFT"


@dataclass(frozen=True)
class OperationResult:
    """An operation's successful answer: status, headers and body bytes."""

    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class _Deployment:
    deployment: BotDeployment
    definition: BotDef
    locales: dict[str, LocaleRuntime]
    ttl_seconds: float


class LexEmulator:
    def __init__(
        self,
        *,
        hook_timeout_seconds: float = DEFAULT_HOOK_TIMEOUT_SECONDS,
        idle_session_ttl_seconds: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        recognizer_factory: RecognizerFactory | None = None,
        rng: random.Random | None = None,
        max_sessions: int = 10_000,
        today: datetime.date | Callable[[], datetime.date] = datetime.date.today,
    ) -> None:
        if hook_timeout_seconds <= 0:
            raise ValueError("hook_timeout_seconds must be positive")
        if idle_session_ttl_seconds is not None and idle_session_ttl_seconds <= 0:
            raise ValueError("idle_session_ttl_seconds must be positive")
        self._hook_timeout = hook_timeout_seconds
        self._ttl_override = idle_session_ttl_seconds
        self._clock = clock
        self._recognizer_factory = recognizer_factory
        self._rng = rng or random.Random()  # noqa: S311 - picks message variations, not secrets
        self._today: Callable[[], datetime.date] = (
            (lambda: today) if isinstance(today, datetime.date) else today
        )
        self._sessions = SessionStore(clock=clock, max_sessions=max_sessions)
        self._deployments: dict[tuple[str, str], _Deployment] = {}
        self._lock = threading.Lock()
        self._warming: list[threading.Thread] = []

    # -- deployments ----------------------------------------------------------------------------

    def add_bot(self, deployment: BotDeployment) -> None:
        """Load a bot definition and serve it under the deployment's bot and alias ids.

        Raises `BotDefinitionError` for a definition the emulator does not implement and
        `DeploymentError` for bad ids, a duplicate alias, or a code hook that does not load.
        """
        if not _BOT_ID.match(deployment.bot_id):
            raise DeploymentError(
                f"bot_id {deployment.bot_id!r} must be 10 letters or digits, as Lex bot ids are"
            )
        if not _ALIAS_ID.match(deployment.alias_id):
            raise DeploymentError(f"alias_id {deployment.alias_id!r} must be letters or digits")
        definition = load_bot_definition(Path(deployment.definition_path))
        hook: HandlerFunction | None = None
        hook_name = "code-hook"
        if deployment.code_hook is not None:
            hook, hook_name = load_handler(deployment.code_hook)
        else:
            for locale in definition.locales.values():
                for intent in locale.intents:
                    if intent.fulfillment is not None and intent.fulfillment.runs_code_hook:
                        raise DeploymentError(
                            f"intent {intent.name} ({locale.locale_id}) enables its fulfillment code hook, "
                            "but the deployment has no code_hook"
                        )
                    if intent.dialog_hook:
                        raise DeploymentError(
                            f"intent {intent.name} ({locale.locale_id}) enables its dialog code hook, "
                            "but the deployment has no code_hook"
                        )
        factory = self._recognizer_factory
        if factory is None:
            try:
                factory = default_recognizer_factory()
            except ImportError as error:
                raise DeploymentError(
                    f"the NLU component (lex_emulator.nlu) is not available: {error}"
                ) from error
        bot = BotInfo(
            bot_id=deployment.bot_id,
            bot_name=deployment.bot_name,
            alias_id=deployment.alias_id,
            alias_name=deployment.alias_name,
            version=deployment.bot_version,
        )
        runtimes = {
            locale_id: LocaleRuntime(
                bot=bot,
                locale=locale,
                ranker=IntentRanker(locale, factory),
                hook=hook,
                hook_name=hook_name,
                hook_timeout=self._hook_timeout,
                rng=self._rng,
                clock=self._clock,
                today=self._today,
            )
            for locale_id, locale in definition.locales.items()
        }
        ttl = (
            self._ttl_override
            if self._ttl_override is not None
            else float(definition.idle_session_ttl_seconds)
        )
        with self._lock:
            key = (deployment.bot_id, deployment.alias_id)
            if key in self._deployments:
                raise DeploymentError(
                    f"bot {deployment.bot_id} alias {deployment.alias_id} is already deployed"
                )
            self._deployments[key] = _Deployment(deployment, definition, runtimes, ttl)
        self._warm_up(definition)

    def _warm_up(self, definition: BotDef) -> None:
        """Load the bot's built-in slot types in a background thread (AMAZON.City takes 2-3 s the
        first time), so that add_bot returns at once and the first answer does not pay for it."""
        wanted = [
            (locale_id, sorted({slot.slot_type for intent in locale.intents for slot in intent.slots}))
            for locale_id, locale in definition.locales.items()
        ]

        def run() -> None:
            for locale_id, slot_types in wanted:
                try:
                    warm_up(slot_types, [locale_id])
                except Exception as error:  # the first real use reports it to the client too
                    _log.warning("warming up slot types for %s failed: %s", locale_id, error)

        thread = threading.Thread(target=run, name="lex-emulator-warm-up", daemon=True)
        with self._lock:
            self._warming = [item for item in self._warming if item.is_alive()]
            self._warming.append(thread)
        thread.start()

    def wait_until_warm(self, timeout: float | None = None) -> bool:
        """Wait for the slot-type warm-up of the deployed bots; whether it finished in ``timeout``."""
        with self._lock:
            threads = list(self._warming)
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in threads:
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        return not any(thread.is_alive() for thread in threads)

    def _runtime(self, route: Route) -> tuple[LocaleRuntime, float]:
        with self._lock:
            deployment = self._deployments.get((route.bot_id, route.alias_id))
            bot_known = any(bot_id == route.bot_id for bot_id, _ in self._deployments)
        if deployment is None:
            if not bot_known:
                raise ResourceNotFoundException(f"Could not find bot {route.bot_id}.")
            raise ResourceNotFoundException(f"Could not find alias {route.alias_id} of bot {route.bot_id}.")
        runtime = deployment.locales.get(route.locale_id)
        if runtime is None:
            locales = ", ".join(sorted(deployment.locales))
            raise ResourceNotFoundException(
                f"Bot {route.bot_id} alias {route.alias_id} has no locale {route.locale_id} "
                f"(it has {locales})."
            )
        return runtime, deployment.ttl_seconds

    @staticmethod
    def _key(route: Route) -> SessionKey:
        return (route.bot_id, route.alias_id, route.locale_id, route.session_id)

    # -- operations (wire in, wire out) ---------------------------------------------------------

    def handle(self, route: Route, body: bytes, headers: Mapping[str, str]) -> OperationResult:
        """Run one operation (``headers`` with lower-case names); raises `LexError` for an error answer."""
        if route.operation == "RecognizeText":
            return self._recognize_text(route, body)
        if route.operation == "GetSession":
            return self._get_session(route)
        if route.operation == "PutSession":
            return self._put_session(route, body, headers)
        if route.operation == "DeleteSession":
            return self._delete_session(route)
        raise ValueError(f"unknown operation {route.operation}")  # match_route only yields the four above

    def _recognize_text(self, route: Route, raw: bytes) -> OperationResult:
        request = validate_recognize_text(route, parse_json_object(raw))
        runtime, ttl = self._runtime(route)
        session = self._sessions.begin(self._key(route), ttl)
        assert session is not None
        try:
            result = runtime.recognize_text(
                session,
                request.text,
                request_attributes=request.request_attributes,
                session_state=request.session_state,
            )
        finally:
            self._sessions.end(session)
        return _json(200, _recognize_text_body(result, route.session_id))

    def _get_session(self, route: Route) -> OperationResult:
        validate_session_route(route)
        self._runtime(route)
        view = self._sessions.view(self._key(route))
        if view is None:
            raise ResourceNotFoundException(f"Session {route.session_id} was not found (or has expired).")
        body = {key: value for key, value in view.items() if value or key == "interpretations"}
        return _json(200, body)

    def _put_session(self, route: Route, raw: bytes, headers: Mapping[str, str]) -> OperationResult:
        request = validate_put_session(route, parse_json_object(raw), headers.get("responsecontenttype"))
        runtime, ttl = self._runtime(route)
        session = self._sessions.begin(self._key(route), ttl)
        assert session is not None
        try:
            result = runtime.put_session(
                session,
                session_state=request.session_state,
                messages=request.messages,
                request_attributes=request.request_attributes,
            )
        finally:
            self._sessions.end(session)
        out = {
            "Content-Type": request.response_content_type,
            "x-amz-lex-session-id": route.session_id,
            "x-amz-lex-session-state": packed_header(result.session_state),
        }
        if result.messages:
            out["x-amz-lex-messages"] = packed_header(result.messages)
        if result.request_attributes is not None:
            out["x-amz-lex-request-attributes"] = packed_header(result.request_attributes)
        return OperationResult(200, out, b"")

    def _delete_session(self, route: Route) -> OperationResult:
        validate_session_route(route)
        self._runtime(route)
        if not self._sessions.delete(self._key(route)):
            raise ResourceNotFoundException(f"Session {route.session_id} was not found (or has expired).")
        return _json(
            200,
            {
                "botId": route.bot_id,
                "botAliasId": route.alias_id,
                "localeId": route.locale_id,
                "sessionId": route.session_id,
            },
        )

    # -- serving --------------------------------------------------------------------------------

    def serve(self, host: str = "127.0.0.1", port: int = 0, *, access_log: bool = False) -> RunningEmulator:
        """Serve on HTTP in a background thread; ``port=0`` picks a free port."""
        from .http_server import start_server

        server, thread = start_server(self, host, port, access_log=access_log)
        return RunningEmulator(server, thread)


class RunningEmulator:
    """A served emulator: ``url`` to point boto3 at, ``shutdown()`` to stop it."""

    def __init__(self, server: Any, thread: threading.Thread) -> None:
        self._server = server
        self._thread = thread
        host, port = server.server_address[:2]
        self.port = int(port)
        shown = f"[{host}]" if ":" in str(host) else str(host)
        self.url = f"http://{shown}:{self.port}"

    def shutdown(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> RunningEmulator:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.shutdown()


def _json(status: int, body: dict[str, Any]) -> OperationResult:
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return OperationResult(status, {"Content-Type": "application/json"}, payload)


def _recognize_text_body(result: TurnResult, session_id: str) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if result.messages:
        body["messages"] = result.messages
    body["sessionState"] = result.session_state
    body["interpretations"] = result.interpretations
    if result.request_attributes is not None:
        body["requestAttributes"] = result.request_attributes
    body["sessionId"] = session_id
    return body
