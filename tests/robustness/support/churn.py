"""Session churn against the emulator's embedding API: many short sessions, a clock that jumps past
the idle TTL between batches, and the memory the interpreter holds after each batch.

Used by the churn test (which asserts memory stays flat) and bench/load.py (which prints speed and
RSS). Each short session is a greeting and a name (the dialog is left waiting for confirmation, as an
abandoned browser tab leaves it); every tenth also asks the fallback a question.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from lex_emulator import BotDeployment, LexEmulator
from lex_emulator.errors import ResourceNotFoundException
from lex_emulator.wire import Route
from tests.robustness.support.local_stack import ALIAS_ID, BOT_ID, BOT_JSON, stub_hook

TTL_SECONDS = 60.0
# The session store sweeps expired sessions at most every 30 s of its clock.
CLOCK_JUMP_SECONDS = TTL_SECONDS + 31.0


class FakeClock:
    """Monotonic seconds that move only when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def clocked_emulator() -> tuple[LexEmulator, FakeClock]:
    """The HelloWorld bot in an emulator whose idle-session clock the caller moves."""
    clock = FakeClock()
    emulator = LexEmulator(clock=clock, idle_session_ttl_seconds=TTL_SECONDS)
    emulator.add_bot(
        BotDeployment(
            bot_id=BOT_ID,
            alias_id=ALIAS_ID,
            alias_name="live",
            bot_name="HelloWorldBot",
            definition_path=BOT_JSON,
            code_hook=stub_hook,
        )
    )
    return emulator, clock


@dataclass
class ChurnResult:
    sessions: int = 0
    turns: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    blocks_after_batch: list[int] = field(default_factory=list)


def turn(emulator: LexEmulator, session_id: str, text: str) -> None:
    route = Route("RecognizeText", BOT_ID, ALIAS_ID, "en_US", session_id)
    result = emulator.handle(route, json.dumps({"text": text}).encode(), {})
    assert result.status == 200


def churn(
    emulator: LexEmulator,
    clock: FakeClock,
    *,
    sessions: int,
    batch: int = 1000,
    record_latencies: bool = True,
    after_batch: Callable[[int], None] | None = None,
) -> ChurnResult:
    """Run `sessions` short sessions in batches; before each batch but the first the clock jumps past
    the TTL, so the sessions of the batch before are idle too long (the last batch stays alive).
    The memory measure is taken with only the batch just run alive. (Latencies, when recorded, are
    kept in a list: a test measuring memory turns that off.)"""
    result = ChurnResult()
    started = time.perf_counter()
    for first in range(0, sessions, batch):
        if first:
            clock.now += CLOCK_JUMP_SECONDS
        for index in range(first, min(first + batch, sessions)):
            session_id = session_name(index)
            texts = ["Hello", "Tom"] + (["what is the tallest mountain"] if index % 10 == 0 else [])
            for text in texts:
                began = time.perf_counter()
                turn(emulator, session_id, text)
                if record_latencies:
                    result.latencies.append(time.perf_counter() - began)
                result.turns += 1
            result.sessions += 1
        gc.collect()
        result.blocks_after_batch.append(sys.getallocatedblocks())
        if after_batch is not None:
            after_batch(result.sessions)
    result.seconds = time.perf_counter() - started
    return result


def session_name(index: int) -> str:
    return f"churn-{index}"


def is_alive(emulator: LexEmulator, index: int) -> bool:
    """Whether GetSession still finds the session (it answers ResourceNotFound once it expired)."""
    route = Route("GetSession", BOT_ID, ALIAS_ID, "en_US", session_name(index))
    try:
        emulator.handle(route, b"", {})
    except ResourceNotFoundException:
        return False
    return True
