"""100 sessions at once on the real dev server, 10 turns each (the name dialog and LLM fallback turns
mixed): not one error, and every session's dialog intact. Each session checks its own name comes
back in the dialog and its own questions (and only those) in the fallback's echo of the memory, so an
answer landing in another session fails the test. Speed figures come from bench/load.py.
"""

from __future__ import annotations

from devserver.process import DevServerProcess
from tests.robustness.support.llm_fakes import FaultyOpenAIServer
from tests.robustness.support.load_scenario import conversation, first_name, run_load

SESSIONS = 100


def test_names_and_conversations_are_distinct_per_session() -> None:
    names = {first_name(index) for index in range(SESSIONS)}
    assert len(names) == SESSIONS
    turns = conversation(first_name(0))
    assert len(turns) == 10
    assert {turn.kind for turn in turns} == {"dialog", "fallback"}


def test_100_concurrent_sessions_of_10_turns_keep_their_own_dialogs(
    devserver: DevServerProcess, echo_llm: FaultyOpenAIServer
) -> None:
    echo_llm.reset()
    result = run_load(devserver.url, sessions=SESSIONS)
    assert result.problems == []
    assert result.turns == SESSIONS * 10
    assert len(result.latencies["fallback"]) == SESSIONS * 4
    assert len(echo_llm.requests) == SESSIONS * 4  # every fallback turn reached the LLM exactly once
    assert "Traceback" not in devserver.stderr
