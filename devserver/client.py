"""`python -m devserver.client`: chat with the bot from a terminal or a script, locally or deployed.

    python -m devserver.client -m "안녕하세요"                 # one turn; the answer on stdout
    python -m devserver.client 안녕하세요                      # the same
    python -m devserver.client --session ID -m "Tom"          # continue that session
    python -m devserver.client --url https://dxxxx.cloudfront.net   # a deployed stack
    PORT=8081 python -m devserver.client -m "Hello"           # a dev server started with PORT=8081
    python -m devserver.client                                # interactive (or one turn per stdin line)
    python -m devserver.client --no-stream -m "Hello"         # wait for the whole answer (no streaming)

Without --url it talks to the local dev server on http://127.0.0.1:$PORT (8080 when PORT is unset),
the same PORT `make serve` reads.

LLM answers stream: the client asks for `"stream": true`, and when the server answers with a
handle it prints the text as it arrives (client_stream.py, docs/streaming-protocol.md); Ctrl-C
while an answer streams stops it (what arrived is kept). A server without streaming answers as
before. `--no-stream` and `--json` send the documented single-answer request.

The session id is printed (on stderr in one-shot mode, so stdout holds only the answer). Exit
status: 0 answered (a stopped answer too), 1 the server answered an error or the answer failed,
2 bad usage, 3 the server could not be reached or timed out, 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TextIO
from urllib.parse import urlsplit, urlunsplit

import requests

from .client_stream import AnswerEnd, AnswerReader, StreamError

DEFAULT_PORT = 8080
LOCAL_HOST = "127.0.0.1"
DEFAULT_TIMEOUT = 35.0

EXIT_OK = 0
EXIT_ERROR_RESPONSE = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_INTERRUPTED = 130

HELP_INTERACTIVE = "Commands: /new (new session), /locale LOCALE, /session, /quit (or Ctrl-D)."


def local_url(environ: Mapping[str, str]) -> str:
    """The local dev server's URL: the port is PORT's (as for `make serve`), 8080 when unset."""
    raw = environ.get("PORT", "").strip()
    if not raw:
        return f"http://{LOCAL_HOST}:{DEFAULT_PORT}"
    try:
        port = int(raw)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise ValueError(f"PORT must be a port number from 1 to 65535, not {raw!r}")
    return f"http://{LOCAL_HOST}:{port}"


def chat_endpoint(url: str) -> str:
    """The /chat URL for whatever the user pasted: an origin, the page's URL, or /chat itself."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"not an http(s) URL: {url!r}")
    path = parts.path
    if path.endswith(".html"):
        path = path.rsplit("/", 1)[0]
    path = path.rstrip("/")
    if not path.endswith("/chat"):
        path += "/chat"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


class ChatError(Exception):
    """A turn did not produce an answer; ``exit_code`` says why."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class ChatClient:
    """Keeps one session; `send` returns the /chat response as a dict."""

    endpoint: str
    session_id: str
    locale: str | None = None
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        self._http = requests.Session()

    def send(self, text: str, *, stream: bool = False) -> dict[str, Any]:
        payload: dict[str, Any] = {"text": text, "sessionId": self.session_id}
        if self.locale:
            payload["locale"] = self.locale
        if stream:
            payload["stream"] = True
        try:
            response = self._http.post(self.endpoint, json=payload, timeout=self.timeout)
        except requests.Timeout:
            raise ChatError(
                f"no answer from {self.endpoint} within {self.timeout:g} s", EXIT_UNREACHABLE
            ) from None
        except requests.ConnectionError:
            raise ChatError(unreachable_message(self.endpoint), EXIT_UNREACHABLE) from None
        except requests.RequestException as error:
            raise ChatError(f"request to {self.endpoint} failed: {error}", EXIT_UNREACHABLE) from None
        try:
            body = response.json()
        except ValueError:
            snippet = response.text[:200].strip() or "(empty)"
            raise ChatError(
                f"HTTP {response.status_code} from {self.endpoint} with a body that is not JSON: {snippet}",
                EXIT_ERROR_RESPONSE,
            ) from None
        if response.status_code != 200 or not isinstance(body, dict) or "error" in body:
            raise ChatError(_describe_error(response, body), EXIT_ERROR_RESPONSE)
        session = body.get("sessionId")
        if isinstance(session, str) and session:
            self.session_id = session
        locale = body.get("locale")
        if isinstance(locale, str) and locale:
            self.locale = locale
        return body

    def reader(self, handle: dict[str, Any]) -> AnswerReader:
        """A reader for the streamed answer whose handle a /chat reply carried."""
        return AnswerReader(self._http, self.endpoint, handle)

    def close(self) -> None:
        self._http.close()


def _is_local(url: str) -> bool:
    return (urlsplit(url).hostname or "") in {"127.0.0.1", "localhost", "::1"}


def unreachable_message(endpoint: str) -> str:
    """Why nothing answered, naming the URL tried and how to point the client elsewhere."""
    if not _is_local(endpoint):
        return f"cannot connect to {endpoint}. Check the URL (--url) and your network."
    port = urlsplit(endpoint).port or DEFAULT_PORT
    return (
        f"cannot connect to {endpoint}: nothing is listening on port {port}. If the dev server runs on "
        f"another port, say which with PORT=<port> (as for make serve) or --url http://127.0.0.1:<port>; "
        f"if it is not running, start it with: make serve"
    )


def _describe_error(response: requests.Response, body: Any) -> str:
    status = response.status_code
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        text = f"HTTP {status} {error.get('code', 'error')}: {error.get('message', '')}".rstrip(": ")
    elif isinstance(body, dict) and "message" in body:
        text = f"HTTP {status}: {body['message']}"
    else:
        text = f"HTTP {status}: {json.dumps(body, ensure_ascii=False)[:200]}"
    retry_after = response.headers.get("Retry-After")
    if retry_after:
        text += f" (retry after {retry_after} s)"
    return text


def answer_text(body: dict[str, Any]) -> str:
    """The bot's answer: every message's content, one per line (or ``msg``)."""
    messages = body.get("messages")
    if isinstance(messages, list):
        parts = [m.get("content", "") for m in messages if isinstance(m, dict) and m.get("content")]
        if parts:
            return "\n".join(str(p) for p in parts)
    return str(body.get("msg") or "")


def _details(body: dict[str, Any]) -> str:
    fields = [f"session {body.get('sessionId')}", str(body.get("locale"))]
    if body.get("intent"):
        fields.append(f"intent {body.get('intent')} ({body.get('intentState')})")
    fields.append(f"source {body.get('source')}")
    return "[" + ", ".join(fields) + "]"


def stream_answer(reader: AnswerReader, out: TextIO, err: TextIO) -> tuple[AnswerEnd | None, bool]:
    """Print a streamed answer as it arrives, then a line end; Ctrl-C stops it (the reader then
    reads on to its end, a second Ctrl-C leaves at once). How it ended (None: it could not be
    read, the reason is on `err`), and whether the user stopped it."""

    def show(piece: str) -> None:
        print(piece, end="", file=out, flush=True)

    interrupted = False
    while True:
        try:
            end = reader.read(show)
            break
        except KeyboardInterrupt:
            if interrupted:
                raise
            interrupted = True
            print("\n[stopping the answer; Ctrl-C again to leave at once]", file=err, flush=True)
            reader.stop()
        except StreamError as failure:
            print(file=out, flush=True)
            print(f"error: {failure}", file=err, flush=True)
            return None, interrupted
    print(file=out, flush=True)
    if end.status != "done":
        print(f"[{end.notice or end.status}]", file=err, flush=True)
    return end, interrupted


def _show(client: ChatClient, body: dict[str, Any], out: TextIO, err: TextIO, prefix: str = "") -> int:
    """Print the turn's answer after `prefix` (a streamed one as it arrives); the exit status."""
    handle = body.get("answer")
    if not isinstance(handle, dict):
        print(prefix + answer_text(body), file=out, flush=True)
        return EXIT_OK
    print(prefix, end="", file=out, flush=True)
    end, interrupted = stream_answer(client.reader(handle), out, err)
    if end is None or end.status == "failed":
        return EXIT_ERROR_RESPONSE
    return EXIT_INTERRUPTED if interrupted else EXIT_OK


def _one_turn(
    client: ChatClient, text: str, as_json: bool, out: TextIO, err: TextIO, *, stream: bool = True
) -> int:
    try:
        body = client.send(text, stream=stream and not as_json)
    except ChatError as failure:
        print(f"error: {failure}", file=err, flush=True)
        return failure.exit_code
    if as_json:
        print(json.dumps(body, ensure_ascii=False, indent=2), file=out, flush=True)
        return EXIT_OK
    status = _show(client, body, out, err)
    print(_details(body), file=err, flush=True)
    return status


def _interactive(
    client: ChatClient, as_json: bool, out: TextIO, err: TextIO, tty: bool, *, stream: bool = True
) -> int:
    if tty:
        print(f"Chatting with {client.endpoint}, session {client.session_id}. {HELP_INTERACTIVE}", file=err)
    else:
        print(f"[session {client.session_id}]", file=err, flush=True)
    status = EXIT_OK
    while True:
        try:
            line = input("you> ") if tty else sys.stdin.readline()
        except EOFError:
            line = ""
            if tty:
                print(file=err)
        if not line:
            return status
        text = line.strip()
        if not text:
            continue
        if tty and text.startswith("/"):
            command, _, argument = text.partition(" ")
            if command in {"/quit", "/exit"}:
                return status
            if command == "/new":
                client.session_id = str(uuid.uuid4())
                print(f"New session {client.session_id}", file=err)
            elif command == "/locale" and argument.strip():
                client.locale = argument.strip()
                print(f"Locale {client.locale}", file=err)
            elif command == "/session":
                print(f"Session {client.session_id}", file=err)
            else:
                print(HELP_INTERACTIVE, file=err)
            continue
        try:
            body = client.send(text, stream=stream and not as_json)
        except ChatError as failure:
            print(f"error: {failure}", file=err, flush=True)
            status = failure.exit_code
            continue
        if as_json:
            print(json.dumps(body, ensure_ascii=False), file=out, flush=True)
            status = EXIT_OK
        elif tty:
            badge = " (LLM)" if body.get("source") == "llm" else ""
            shown = _show(client, body, out, err, prefix=f"bot{badge}> ")
            status = EXIT_OK if shown == EXIT_INTERRUPTED else shown
        else:
            status = _show(client, body, out, err)


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m devserver.client",
        description=(
            "Send messages to the chatbot's POST /chat. With text (-m or arguments): one turn, the "
            "answer on stdout. Without: an interactive prompt, or one turn per line of piped stdin."
        ),
    )
    parser.add_argument("words", nargs="*", metavar="TEXT", help="the message (same as -m)")
    parser.add_argument("-m", "--message", help="the message to send")
    parser.add_argument(
        "--url",
        help=f"the page's origin, its URL, or the /chat URL (default http://{LOCAL_HOST}:$PORT, "
        f"PORT being {DEFAULT_PORT} when unset; for a deployed stack its WebUrl's address)",
    )
    parser.add_argument("--session", help="session id to continue (default: a new one, printed)")
    parser.add_argument("--locale", help="bot locale, e.g. ko_KR or en_US (default: the bot's)")
    parser.add_argument("--json", action="store_true", help="print the raw JSON response (does not stream)")
    parser.add_argument(
        "--no-stream",
        dest="stream",
        action="store_false",
        help="ask for the whole answer in one response instead of streaming LLM answers",
    )
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds to wait (default 35)")
    return parser.parse_args(argv)


def run(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """The client; returns the exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = _parse_args(argv)
    if args.message is not None and args.words:
        print("error: give the message either with -m or as arguments, not both", file=err)
        return EXIT_USAGE
    text = args.message if args.message is not None else " ".join(args.words)
    try:
        base = args.url if args.url is not None else local_url(os.environ)
    except ValueError as error:
        print(f"error: {error} (or give the server's address with --url)", file=err)
        return EXIT_USAGE
    try:
        endpoint = chat_endpoint(base)
    except ValueError as error:
        print(f"error: --url: {error}", file=err)
        return EXIT_USAGE
    if args.timeout <= 0:
        print("error: --timeout must be positive", file=err)
        return EXIT_USAGE
    client = ChatClient(
        endpoint=endpoint,
        session_id=args.session or str(uuid.uuid4()),
        locale=args.locale,
        timeout=args.timeout,
    )
    try:
        if args.message is not None or args.words:
            if not text.strip():
                print("error: the message is empty", file=err)
                return EXIT_USAGE
            return _one_turn(client, text, args.json, out, err, stream=args.stream)
        return _interactive(client, args.json, out, err, tty=sys.stdin.isatty(), stream=args.stream)
    finally:
        client.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: Ctrl-C ends quietly."""
    try:
        return run(argv)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    raise SystemExit(main())
