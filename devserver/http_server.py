"""The dev server's HTTP side: the ASGI app (`asgi_app`) on uvicorn, bound and stopped like a socketserver.

`DevServer` binds its port when it is made (so a busy port is reported at once), serves with
`serve_forever()` (in a thread of the caller's choice: uvicorn runs its own event loop there) and
stops with `shutdown()` (returns once serving has ended) and `server_close()`. uvicorn speaks
HTTP/1.1 through h11 (`h11_errors` makes its refusals JSON); the Lambda handler calls run on a
bounded pool of reused threads (`handler_threads`), so a slow LLM turn never holds up another
request; run `serve_forever` in a daemon thread, so that nothing left running keeps the process
alive (the pool's threads are daemons when the loop's thread is one). The request body rules
(411/413/408) are in `request_body`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import sys
import threading
from collections.abc import Mapping
from pathlib import Path

import uvicorn

from .answer_stream import KEEP_ALIVE_SECONDS, AnswerStreams
from .asgi_app import CHAT_PATH, METRICS_PATH, build_app
from .h11_errors import JsonErrorsH11Protocol
from .lambda_proxy import GATEWAY_5XX_CODE, GATEWAY_5XX_MESSAGE, VIEWER_IP_HEADER, ChatHandler
from .limits import ClientRateLimiter
from .metrics import MetricsStore
from .request_body import BODY_TIMEOUT_SECONDS, LINGER_MAX_BYTES, LINGER_SECONDS, MAX_BODY_BYTES
from .settings import ANSWER_READS_STREAM

__all__ = [
    "BODY_TIMEOUT_SECONDS",
    "CHAT_PATH",
    "GATEWAY_5XX_CODE",
    "GATEWAY_5XX_MESSAGE",
    "LINGER_MAX_BYTES",
    "LINGER_SECONDS",
    "MAX_BODY_BYTES",
    "METRICS_PATH",
    "VIEWER_IP_HEADER",
    "ChatHandler",
    "DevServer",
]

IDLE_CONNECTION_SECONDS = 60
REQUEST_QUEUE_SIZE = 128
# On shutdown, a request waiting for a handler answers 503 at once (the handler's thread is
# abandoned: the process is ending) and open answer streams end; anything still running after this
# long is cancelled.
SHUTDOWN_GRACE_SECONDS = 5
SERVER_NAME = "chatbot-devserver"


def _not_a_cancellation(record: logging.LogRecord) -> bool:
    """Requests cancelled at shutdown are expected: no traceback for them."""
    error = record.exc_info[1] if record.exc_info else None
    return not isinstance(error, asyncio.CancelledError)


def _quiet_uvicorn_logs() -> None:
    """uvicorn's own messages: warnings and errors only, to stderr, marked as the dev server's."""
    logger = logging.getLogger("uvicorn.error")
    if not any(getattr(h, "devserver", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("devserver: %(message)s"))
        handler.addFilter(_not_a_cancellation)
        handler.devserver = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False


class DevServer:
    """The dev server bound to one address; handlers and settings may be set after binding."""

    body_timeout_seconds = BODY_TIMEOUT_SECONDS
    keep_alive_seconds = KEEP_ALIVE_SECONDS
    # "stream": GET /chat/answers/{id} is one SSE response through `answer_streams`; "long-poll":
    # lambda_answers' handler answers it, buffered, as the stack's API Gateway runs it.
    answer_reads = ANSWER_READS_STREAM

    def __init__(
        self,
        address: tuple[str, int],
        *,
        site_dir: Path,
        chat_handler: ChatHandler | None = None,
        answers_handler: ChatHandler | None = None,
        answer_streams: AnswerStreams | None = None,
        access_log: bool = True,
        generated_files: Mapping[str, bytes] | None = None,
        rate_limiter: ClientRateLimiter | None = None,
        read_rate_limiter: ClientRateLimiter | None = None,
        metrics: MetricsStore | None = None,
    ) -> None:
        self.site_dir = site_dir.resolve()
        # The handlers' metrics, served at GET /metrics (None: nothing served there).
        self.metrics = metrics
        # URL path -> JSON body served instead of the file of that name (e.g. the page's config.json).
        self.generated_files = dict(generated_files or {})
        self.chat_handler = chat_handler
        # lambda_answers' handler (stop, regenerate, conversations); None: those routes are 404.
        self.answers_handler = answers_handler
        # Opens GET /chat/answers/{id} streams; None: streamed answers are off.
        self.answer_streams = answer_streams
        self.access_log = access_log
        # Per client IP, like the stack's web ACL (devserver/limits.py); None = no limit.
        self.rate_limiter = rate_limiter
        # The reads' own limit (GET /chat/answers/{id}, GET /chat/conversations/{id}); None = none.
        self.read_rate_limiter = read_rate_limiter
        # Set when the server stops: open answer streams end.
        self.closing = threading.Event()
        self._lock = threading.Lock()
        self._uvicorn: uvicorn.Server | None = None
        self._stop_requested = False
        self._finished = threading.Event()
        # IPPROTO_TCP named: asyncio sets TCP_NODELAY only on sockets that say they are TCP, and
        # without it a response written in two parts waits ~40 ms for the client's delayed ACK.
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.socket.bind(address)
            self.socket.listen(REQUEST_QUEUE_SIZE)
        except OSError:
            self.socket.close()
            raise
        self.server_address: tuple[str, int] = self.socket.getsockname()[:2]

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def serve_forever(self) -> None:
        """Serve until `shutdown()` (blocks; run it in a thread of its own)."""
        _quiet_uvicorn_logs()
        config = uvicorn.Config(
            build_app(self, access_log=self.access_log),
            http=JsonErrorsH11Protocol,
            ws="none",
            lifespan="off",
            loop="asyncio",
            log_config=None,
            access_log=False,
            proxy_headers=False,  # the client's own address, whatever X-Forwarded-For it sends
            server_header=False,
            headers=[("Server", SERVER_NAME)],
            timeout_keep_alive=IDLE_CONNECTION_SECONDS,
            timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
            backlog=REQUEST_QUEUE_SIZE,
        )
        server = uvicorn.Server(config)
        with self._lock:
            if self._stop_requested:
                return
            self._uvicorn = server
            self._finished.clear()
        try:
            server.run(sockets=[self.socket])
        finally:
            self._finished.set()

    def shutdown(self) -> None:
        """Stop serving (open streams end, running requests get a short grace) and wait for it."""
        self.closing.set()
        with self._lock:
            self._stop_requested = True
            server = self._uvicorn
        if server is None:
            return
        server.should_exit = True
        self._finished.wait()

    def server_close(self) -> None:
        with contextlib.suppress(OSError):
            self.socket.close()
