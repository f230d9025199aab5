"""What /chat does with the answer store (issue 11): streamed LLM answers and kept conversations.

Only when a store is configured (`answer_store.from_env()`); without one /chat is exactly what it
was. Per turn it costs one `active_answer` read before Lex (a session with an answer still being
written is refused with 409 `session_busy`, nothing sent to Lex) and one `append_turns` write after
it; `open_conversation` is called only until this container has seen it done for the session.

The turn protocol with the code hook (docs/streaming-protocol.md): a `"stream": true` request sends
the request attributes `x-chatbot-stream: "1"` and `x-chatbot-answer-token: <fresh token>`; a code
hook that started a streamed answer marks the turn `x-chatbot-answered-by =
<turn>:llm-pending:<answerId>`, and /chat answers with a handle (`answer`: id, token, read URL)
instead of the text.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from answer_store import AnswerStore

STREAM_ATTRIBUTE = "x-chatbot-stream"
ANSWER_TOKEN_ATTRIBUTE = "x-chatbot-answer-token"  # noqa: S105 - the attribute's name, not a secret
# The session attribute the code hook leaves for the memory fold: the answer not yet remembered.
PENDING_ANSWER_ATTRIBUTE = "x-chatbot-pending-answer"
PENDING_SOURCE_PREFIX = "llm-pending:"
ANSWERS_PATH = "/chat/answers/"
DEFAULT_CONVERSATION_TTL_SECONDS = 86400
# Answer ids are uuid4 strings (the store makes them); anything else in a marker is not a handle.
_ANSWER_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

# Memory fold for one turn: session attributes in, the same attributes with an ended pending answer
# remembered (and PENDING_ANSWER_ATTRIBUTE dropped) out.
PendingFold = Callable[[dict[str, str]], dict[str, str]]
# The shared fold (conversation_memory's): attributes, the store to look the answer up in, locale.
FoldFunction = Callable[[Mapping[str, str], Any, str], dict[str, str]]


class AnswerBusyError(Exception):
    """The session has an answer still being written: the turn is refused before Lex."""

    def __init__(self, answer_id: str) -> None:
        super().__init__(f"session has an active answer {answer_id}")
        self.answer_id = answer_id


def new_token() -> str:
    """A fresh secret (256 bits, URL-safe): an answer's or a conversation's token."""
    return secrets.token_urlsafe(32)


def is_answer_id(value: str) -> bool:
    """Whether `value` looks like an answer id (a lowercase uuid string)."""
    return _ANSWER_ID.fullmatch(value) is not None


def answer_handle(answer_id: str, token: str) -> dict[str, str]:
    """What a client needs to read an answer: its id, its token, and the URL to read it from."""
    return {"id": answer_id, "token": token, "url": f"{ANSWERS_PATH}{answer_id}"}


def utc_stamp(seconds: float) -> str:
    """An ISO 8601 UTC time with milliseconds (`2026-12-01T08:00:00.123Z`), as a transcript keeps it."""
    moment = datetime.fromtimestamp(seconds, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class OpenedSessions:
    """Sessions this container knows already have a conversation token (bounded, and forgotten after
    `max_age` seconds so an expired conversation gets a new token), so `open_conversation` is not a
    store write on every turn."""

    def __init__(self, *, max_entries: int = 4096, max_age: float = 3600.0) -> None:
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()
        self._max_entries = max_entries
        self._max_age = max_age

    def known(self, session_id: str, now: float) -> bool:
        with self._lock:
            seen = self._seen.get(session_id)
            if seen is None:
                return False
            if now - seen > self._max_age:
                del self._seen[session_id]
                return False
            return True

    def add(self, session_id: str, now: float) -> None:
        with self._lock:
            self._seen[session_id] = now
            self._seen.move_to_end(session_id)
            while len(self._seen) > self._max_entries:
                self._seen.popitem(last=False)


@dataclass
class Streaming:
    """The answer store as /chat uses it, with the conversation's lifetime and the memory fold."""

    store: AnswerStore
    ttl_seconds: int = DEFAULT_CONVERSATION_TTL_SECONDS
    # conversation_memory's fold of a streamed answer into the memory; None: a pending answer is
    # left for the code hook to fold.
    fold_function: FoldFunction | None = None
    now: Callable[[], float] = time.time
    opened: OpenedSessions = field(init=False)

    def __post_init__(self) -> None:
        self.opened = OpenedSessions(max_age=max(1.0, min(self.ttl_seconds / 2, 3600.0)))

    def check_idle(self, session_id: str) -> str | None:
        """Raise AnswerBusyError when the session has an answer still being written. A store that
        cannot answer lets the turn through (the code hook's create() still refuses a second
        active answer): the problem is returned, for the log."""
        try:
            active = self.store.active_answer(session_id)
        except Exception as error:  # best effort: an unreachable store must not take /chat down
            return f"{type(error).__name__}: {error}"
        if active:
            raise AnswerBusyError(active)
        return None

    def fold(self, locale: str) -> PendingFold | None:
        """The memory fold for a turn in `locale`. A failed store read leaves the attributes as they
        are: the next turn (or the code hook) folds the answer then."""
        function = self.fold_function
        if function is None:
            return None

        def fold(attributes: dict[str, str]) -> dict[str, str]:
            if PENDING_ANSWER_ATTRIBUTE not in attributes:
                return attributes
            try:
                return function(attributes, self.store, locale)
            except Exception:  # the store is best effort here: keep the attribute for later
                return attributes

        return fold

    def record(
        self, session_id: str, turns: list[dict[str, Any]], *, first_turn_hint: bool = False
    ) -> tuple[str | None, str | None]:
        """Open the session's conversation the first time, then append the turn's two transcript
        entries. The conversation's fresh token when this call set it (None on every later turn),
        and what went wrong, if anything (best effort: the turn's answer stands either way; a token
        the store took is returned even when the append then fails, or it would be lost)."""
        now = self.now()
        token: str | None = None
        try:
            if first_turn_hint or not self.opened.known(session_id, now):
                candidate = new_token()
                if self.store.open_conversation(session_id, candidate, self.ttl_seconds):
                    token = candidate
                self.opened.add(session_id, now)
            self.store.append_turns(session_id, turns, self.ttl_seconds)
        except Exception as error:  # the store is best effort here
            return token, f"{type(error).__name__}: {error}"
        return token, None


def transcript_turns(
    *,
    user_text: str,
    source: str,
    msg: str,
    messages: list[dict[str, str]],
    slots: Mapping[str, Any],
    answer_id: str | None,
    asked_at: float,
    answered_at: float,
) -> list[dict[str, Any]]:
    """The user's entry and the bot's, as the conversation route returns them."""
    bot: dict[str, Any] = {"role": "bot", "source": source, "msg": msg, "messages": messages}
    if slots:
        bot["slots"] = dict(slots)
    if answer_id is not None:
        bot["answerId"] = answer_id
    bot["at"] = utc_stamp(answered_at)
    return [{"role": "user", "text": user_text, "at": utc_stamp(asked_at)}, bot]
