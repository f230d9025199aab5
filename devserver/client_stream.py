"""Reading a streamed answer for the CLI client (`devserver.client`): the read protocol of
docs/streaming-protocol.md over `requests`, parsed with the project's SSE decoder.

`GET <answer url>?after=<cursor>` with the answer's token answers Server-Sent Events: `delta`
events with text (their `id` is the cursor to resume from), then one `end`. The dev server
streams them in one response; AWS answers long polls that each return within ~20 s, so the reader
asks again from the last id until it sees `end`, and also after a dropped connection (a few
times). `stop` asks the server to stop the answer (the CLI sends it on Ctrl-C).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

from lambda_chatgpt.sse import SseDecoder, SseEvent

# Between two bytes of a read: the server sends a keep-alive every 15 s and ends a long poll at 20 s.
READ_TIMEOUT_SECONDS = 45.0
CONNECT_TIMEOUT_SECONDS = 10.0
# Reads in a row that may fail (a dropped connection, a 5xx) before the reader gives up.
MAX_FAILED_READS = 3


class StreamError(Exception):
    """The answer could not be read to its end; the message says why."""


@dataclass(frozen=True)
class AnswerEnd:
    """How a streamed answer ended, and its whole text."""

    status: str
    text: str
    error_kind: str | None = None
    notice: str | None = None


class CursorDecoder(SseDecoder):
    """The project's SSE decoder, also giving each event the last `id` seen (the read cursor)."""

    def __init__(self) -> None:
        super().__init__()
        self._last_id: str | None = None
        self._ready: list[tuple[SseEvent, str | None]] = []

    def events(self, chunk: bytes) -> list[tuple[SseEvent, str | None]]:
        """The events `chunk` completes, each with its id."""
        self.feed(chunk)
        ready, self._ready = self._ready, []
        return ready

    def _line(self, line: str) -> SseEvent | None:
        name, colon, value = line.partition(":")
        if colon and name == "id":
            self._last_id = value.removeprefix(" ")
        event = super()._line(line)
        if event is not None:
            self._ready.append((event, self._last_id))
        return event


def answers_url(chat_endpoint: str, path: str) -> str:
    """The absolute URL of an answer's `url` (a path under /chat/) for a client of `chat_endpoint`
    (…/chat): the same origin and the same prefix, so a stage path in front of /chat is kept."""
    parts = urlsplit(chat_endpoint)
    prefix = parts.path.removesuffix("/chat")
    return urlunsplit((parts.scheme, parts.netloc, prefix + path, "", ""))


class AnswerReader:
    """Reads one answer (its handle from POST /chat) to its end, and can stop it."""

    def __init__(
        self,
        http: requests.Session,
        chat_endpoint: str,
        handle: Mapping[str, Any],
        *,
        read_timeout: float = READ_TIMEOUT_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._http = http
        self.url = answers_url(chat_endpoint, str(handle["url"]))
        self._token = str(handle["token"])
        self._read_timeout = read_timeout
        self._sleep = sleep
        self.cursor = 0
        self.text = ""

    def read(self, on_text: Callable[[str], None]) -> AnswerEnd:
        """Call `on_text` with each new piece of text; return how the answer ended. Raises
        StreamError when the answer cannot be read (gone, refused, or the server keeps failing)."""
        failures = 0
        while True:
            try:
                end = self._read_once(on_text)
            except (
                requests.ConnectionError,
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,
            ) as error:
                failures += 1
                if failures >= MAX_FAILED_READS:
                    raise StreamError(
                        f"lost the answer stream at {self.url}: {type(error).__name__}"
                    ) from None
                self._sleep(0.5 * failures)
                continue
            if end is not None:
                return end
            failures = 0  # a long poll that ended without the end: ask again from the cursor

    def _read_once(self, on_text: Callable[[str], None]) -> AnswerEnd | None:
        headers = {"X-Answer-Token": self._token, "Accept": "text/event-stream"}
        with self._http.get(
            self.url,
            params={"after": str(self.cursor)},
            headers=headers,
            stream=True,
            timeout=(CONNECT_TIMEOUT_SECONDS, self._read_timeout),
        ) as response:
            if response.status_code >= 500:
                raise requests.ConnectionError(f"HTTP {response.status_code}")
            if response.status_code != 200:
                raise StreamError(_refusal(response))
            decoder = CursorDecoder()
            for chunk in _arriving(response):
                for event, event_id in decoder.events(chunk):
                    end = self._event(event, event_id, on_text)
                    if end is not None:
                        return end
        return None

    def _event(
        self, event: SseEvent, event_id: str | None, on_text: Callable[[str], None]
    ) -> AnswerEnd | None:
        try:
            data = json.loads(event.data)
        except ValueError:
            raise StreamError(f"the server sent an event that is not JSON: {event.data[:100]!r}") from None
        if not isinstance(data, dict):
            raise StreamError(f"the server sent an event that is not a JSON object: {event.data[:100]!r}")
        if event_id is not None and event_id.isdigit():
            self.cursor = int(event_id)
        if event.event == "delta":
            piece = data.get("text")
            if isinstance(piece, str) and piece:
                self.text += piece
                on_text(piece)
            return None
        if event.event == "end":
            return AnswerEnd(
                status=str(data.get("status") or "failed"),
                text=self.text,
                error_kind=data.get("errorKind") if isinstance(data.get("errorKind"), str) else None,
                notice=data.get("notice") if isinstance(data.get("notice"), str) else None,
            )
        return None  # an event type this client does not know: skipped

    def stop(self) -> bool:
        """Ask the server to stop the answer; whether it was still being written (False on error)."""
        try:
            response = self._http.post(
                self.url + "/stop",
                headers={"X-Answer-Token": self._token},
                timeout=(CONNECT_TIMEOUT_SECONDS, 10.0),
            )
            body = response.json()
        except (requests.RequestException, ValueError):
            return False
        return response.status_code == 200 and isinstance(body, dict) and body.get("stopped") is True


def _arriving(response: requests.Response) -> Iterator[bytes]:
    """The body's bytes as they arrive. `iter_content` would wait for the end of a body sent
    without chunked encoding (delimited by closing the connection); `read1` never waits for more
    than what is there."""
    while True:
        chunk = response.raw.read1(65536, decode_content=True)
        if not chunk:
            return
        yield chunk


def _refusal(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return f"HTTP {response.status_code} {error.get('code', 'error')}: {error.get('message', '')}".rstrip(
            ": "
        )
    return f"HTTP {response.status_code} reading the answer"
