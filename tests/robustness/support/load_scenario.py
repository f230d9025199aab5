"""The load scenario shared by the load test and bench/load.py: many sessions at once on a dev server,
each a 10-turn conversation mixing the HelloWorld name dialog and LLM fallback turns.

Every session has its own first name and its own questions, and checks each answer against them:
the greeting dialog must confirm *its* name, and the fallback answers (from the echoing fake LLM,
`support.llm_fakes.echo_reply`) must repeat *its* question and report exactly *its* earlier
messages as memory: the whole recent conversation (dialog turns included), the last
`HISTORY_MESSAGES` messages. An answer landing in the wrong session, a lost memory or a dialog out of step
is a problem; so is any status other than 200.
"""

from __future__ import annotations

import http.client
import itertools
import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from tests.robustness.support.llm_fakes import parse_echo

LOCALE = "en_US"
PROMPT = "My name is Lex. What is your name?"
DECLINED = "Please start over from the beginning."
# LLM_HISTORY_MESSAGES (and CHAT_HISTORY_MESSAGES) as the dev server runs them: its default.
HISTORY_MESSAGES = 10
_SYLLABLES = ["ka", "lo", "mi", "ra", "ne", "to", "su", "vi", "de", "po", "ba", "zu"]


def first_name(index: int) -> str:
    """A distinct made-up first name per session (letters only, as AMAZON.FirstName wants)."""
    combos = itertools.product(_SYLLABLES, repeat=3)
    return "".join(next(itertools.islice(combos, index, None))).capitalize()


@dataclass
class Turn:
    text: str
    check: Callable[[dict[str, Any]], None]
    kind: str  # "dialog" or "fallback"


def conversation(name: str) -> list[Turn]:
    questions = [
        f"What is the history of the {name} river?",
        f"Who lives near the {name} river today?",
        f"Which fish swim in the {name} river?",
        f"How long is the {name} river?",
    ]

    def says(*messages: str, action: str) -> Callable[[dict[str, Any]], None]:
        def check(body: dict[str, Any]) -> None:
            assert body["source"] == "lex", body
            assert body["dialogAction"] == action, body
            assert [m["content"] for m in body["messages"]] == list(messages), body

        return check

    confirm = says(f"Is your name {name}?", action="ConfirmIntent")
    # Every turn, dialog or fallback, is remembered as a question and an answer (two messages).
    plan: list[tuple[str, Callable[[dict[str, Any]], None] | int, str]] = [
        ("Hello", says(PROMPT, action="ElicitSlot"), "dialog"),
        (name, confirm, "dialog"),
        (
            "yes",
            says(f"Nice to meet you, {name}.", "Ending the HelloWorld intent.", action="Close"),
            "dialog",
        ),
        (questions[0], 0, "fallback"),
        (questions[1], 1, "fallback"),
        (f"Hello, my name is {name}", confirm, "dialog"),
        ("no", says(DECLINED, action="Close"), "dialog"),
        (questions[2], 2, "fallback"),
        (questions[3], 3, "fallback"),
        (f"Hi, I'm {name}", confirm, "dialog"),
    ]
    texts = [text for text, _, _ in plan]

    def echoes(number: int, position: int) -> Callable[[dict[str, Any]], None]:
        remembered = texts[max(0, position - HISTORY_MESSAGES // 2) : position]

        def check(body: dict[str, Any]) -> None:
            assert body["source"] == "llm", body
            echo = parse_echo(body["msg"])
            assert echo["q"] == questions[number], echo
            assert echo["earlier"] == remembered, echo
            assert echo["n"] == 1 + 2 * len(remembered) + 1, echo  # system prompt, memory, question

        return check

    return [
        Turn(text, echoes(check, position) if isinstance(check, int) else check, kind)
        for position, (text, check, kind) in enumerate(plan)
    ]


@dataclass
class LoadResult:
    sessions: int
    turns: int = 0
    wall_seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"dialog": [], "fallback": []})
    problems: list[str] = field(default_factory=list)

    def all_latencies(self) -> list[float]:
        return [*self.latencies["dialog"], *self.latencies["fallback"]]


def run_session(
    base_url: str, index: int, result: LoadResult, lock: threading.Lock, start: threading.Barrier
) -> None:
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    session = f"load-{index}-{uuid.uuid4()}"
    name = first_name(index)
    start.wait()
    try:
        for number, turn in enumerate(conversation(name), start=1):
            payload = json.dumps({"text": turn.text, "sessionId": session, "locale": LOCALE}).encode()
            began = time.perf_counter()
            conn.request("POST", "/chat", body=payload, headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            raw = response.read()
            elapsed = time.perf_counter() - began
            problem = None
            if response.status != 200:
                problem = f"status {response.status}: {raw[:200]!r}"
            else:
                body = json.loads(raw)
                try:
                    assert body["sessionId"] == session, body
                    turn.check(body)
                except AssertionError as error:
                    problem = str(error)[:300]
            with lock:
                result.turns += 1
                result.latencies[turn.kind].append(elapsed)
                if problem:
                    result.problems.append(f"session {index} ({name}) turn {number} {turn.text!r}: {problem}")
            if problem:
                return
    except (OSError, http.client.HTTPException) as error:
        with lock:
            result.problems.append(f"session {index} ({name}): {type(error).__name__}: {error}")
    finally:
        conn.close()


def run_load(base_url: str, sessions: int = 100) -> LoadResult:
    """`sessions` conversations at once (one thread and keep-alive connection each)."""
    result = LoadResult(sessions=sessions)
    lock = threading.Lock()
    start = threading.Barrier(sessions + 1)
    threads = [
        threading.Thread(target=run_session, args=(base_url, index, result, lock, start), daemon=True)
        for index in range(sessions)
    ]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join(timeout=300)
    result.wall_seconds = time.perf_counter() - began
    return result
