"""The answer routes over the embedded store: tokens (a wrong one is the same 404 as an unknown
answer: no oracle), cursors, reads, Stop, Regenerate's rules and the kept conversation."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest

from answer_store import EmbeddedAnswerStore
from lambda_answers import routes
from lambda_answers.errors import RouteError
from lambda_answers.reading import PollLimits
from lambda_chatgpt.sse import SseDecoder

SESSION = "web-tab-7"
TTL = 3600
JOB = {
    "messages": [{"role": "user", "content": "what are tides"}],
    "question": "what are tides",
    "locale": "en_US",
    "sessionId": SESSION,
    "client": "c1",
    "historyLimit": 10,
    "turn": "t1",
}
NO_WAIT = PollLimits(max_wait=0.0, coalesce=0.0)


@dataclass
class Clock:
    now: float = 1_764_576_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Chat:
    """A session as /chat and the code hook leave it in the store."""

    store: EmbeddedAnswerStore
    conversation_token: str = "conv-token-0123456789"
    tokens: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.store.open_conversation(SESSION, self.conversation_token, TTL)

    def llm_turn(self, question: str = "what are tides", token: str | None = None) -> str:
        token = token or f"answer-token-{len(self.tokens)}"
        answer_id = self.store.create(session_id=SESSION, token=token, job=JOB, ttl_seconds=TTL)
        self.tokens[answer_id] = token
        self.store.append_turns(
            SESSION,
            [
                {"role": "user", "text": question, "at": "2025-12-01T08:00:00.000Z"},
                {"role": "bot", "source": "llm", "msg": "", "messages": [], "answerId": answer_id, "at": "x"},
            ],
            TTL,
        )
        return answer_id

    def intent_turn(self) -> None:
        self.store.append_turns(
            SESSION,
            [
                {"role": "user", "text": "hi", "at": "a"},
                {"role": "bot", "source": "lex", "msg": "Hello!", "at": "b"},
            ],
            TTL,
        )

    def write(
        self, answer_id: str, *pieces: str, status: str | None = "done", kind: str | None = None
    ) -> None:
        """Play the worker: claim, append each piece, finish with `status` (None: still running)."""
        self.store.claim(answer_id)
        for piece in pieces:
            self.store.append(answer_id, piece)
        if status is not None:
            self.store.finish(
                answer_id, status, error_kind=kind, finish_reason="stop" if status == "done" else None
            )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def chat(clock: Clock) -> Chat:
    return Chat(EmbeddedAnswerStore(clock=clock))


def events(body: bytes) -> list[tuple[str, Any]]:
    return [(e.event, json.loads(e.data)) for e in SseDecoder().feed(body)]


def refusal(call: Any) -> RouteError:
    with pytest.raises(RouteError) as caught:
        call()
    return caught.value


# --- tokens and ids ------------------------------------------------------------------------------


def test_a_wrong_missing_or_malformed_token_an_unknown_and_an_expired_answer_are_the_same_404(
    chat: Chat, clock: Clock
) -> None:
    answer = chat.llm_turn()
    chat.write(answer, "Tides are the sea's rise and fall.")
    other = Chat(EmbeddedAnswerStore(clock=clock))
    other_answer = other.llm_turn(token="other-sessions-token")

    def read(answer_id: str, token: str | None, store: EmbeddedAnswerStore = chat.store) -> Any:
        return lambda: routes.read_long_poll(store, answer_id, token, None, limits=NO_WAIT)

    cases = [
        read(answer, "answer-token-9"),  # another token
        read(answer, None),  # none
        read(answer, ""),
        read(answer, "tok en"),  # not a token's characters
        read(answer, "x" * 300),
        read(answer, chat.tokens[answer] + "x"),
        read("3b0c6a1e-9f6d-4c1e-8a57-2d8f0b7c9e41", chat.tokens[answer]),  # unknown id
        read("../../etc", chat.tokens[answer]),  # not an id
        read(answer.upper(), chat.tokens[answer]),
        read(other_answer, chat.tokens[answer], other.store),  # another session's answer
    ]
    bodies = {json.dumps(refusal(case).body()) for case in cases}
    assert len(bodies) == 1
    first = refusal(cases[0])
    assert (first.status, first.code) == (404, "answer_not_found")
    clock.now += TTL + 1
    expired = refusal(read(answer, chat.tokens[answer]))
    assert json.dumps(expired.body()) in bodies


def test_the_answer_token_and_the_conversation_token_both_open_the_answer(chat: Chat) -> None:
    answer = chat.llm_turn()
    chat.write(answer, "Tides.")
    for token in (chat.tokens[answer], chat.conversation_token):
        assert events(routes.read_long_poll(chat.store, answer, token, None, limits=NO_WAIT))[0] == (
            "delta",
            {"text": "Tides."},
        )


# --- cursors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["-1", "abc", "1.5", "", " 1", "0x1", "１", "1" * 10, "+1"])
def test_a_cursor_that_is_not_a_whole_number_from_0_is_400_invalid_cursor(chat: Chat, raw: str) -> None:
    answer = chat.llm_turn()
    token = chat.tokens[answer]
    for after, last_event_id in ((raw, None), (None, raw)):
        with pytest.raises(RouteError) as caught:
            routes.read_long_poll(chat.store, answer, token, after, last_event_id)
        error = caught.value
        assert (error.status, error.code) == (400, "invalid_cursor")


def test_the_cursor_comes_from_after_else_last_event_id_else_0() -> None:
    assert routes.parse_cursor(None, None) == 0
    assert routes.parse_cursor(None, "4") == 4
    assert routes.parse_cursor("2", "4") == 2
    assert routes.parse_cursor("007") == 7


def test_a_read_from_a_cursor_gets_only_the_pieces_after_it_then_the_end(chat: Chat) -> None:
    answer = chat.llm_turn()
    chat.write(answer, "Tides ", "are ", "waves.")
    token = chat.tokens[answer]
    assert events(routes.read_long_poll(chat.store, answer, token, "1", limits=NO_WAIT)) == [
        ("delta", {"text": "are waves."}),
        ("end", {"status": "done", "errorKind": None, "finishReason": "stop", "notice": None}),
    ]
    assert events(routes.read_long_poll(chat.store, answer, token, None, "3", limits=NO_WAIT)) == [
        ("end", {"status": "done", "errorKind": None, "finishReason": "stop", "notice": None}),
    ]


def test_a_read_of_an_answer_still_being_written_gets_its_text_without_an_end(chat: Chat) -> None:
    answer = chat.llm_turn()
    chat.write(answer, "Tides ", status=None)
    body = routes.read_long_poll(chat.store, answer, chat.tokens[answer], "0", limits=NO_WAIT)
    assert body == b'event: delta\nid: 1\ndata: {"text":"Tides "}\n\n'
    assert (
        routes.read_long_poll(chat.store, answer, chat.tokens[answer], "1", limits=NO_WAIT)
        == b": keep-alive\n\n"
    )


def test_open_stream_checks_the_request_before_the_first_byte(chat: Chat) -> None:
    answer = chat.llm_turn()
    chat.write(answer, "Whole.", status="stopped")
    assert (
        refusal(lambda: routes.open_stream(chat.store, answer, "wrong-token", None)).code
        == "answer_not_found"
    )
    assert (
        refusal(lambda: routes.open_stream(chat.store, answer, chat.tokens[answer], "x")).code
        == "invalid_cursor"
    )
    body = b"".join(routes.open_stream(chat.store, answer, chat.tokens[answer], None))
    [delta, end] = events(body)
    assert delta == ("delta", {"text": "Whole."})
    assert end[1]["status"] == "stopped"
    assert end[1]["notice"]


# --- stop ------------------------------------------------------------------------------------------


def test_stop_flags_an_active_answer_and_says_so_and_changes_nothing_on_an_ended_one(chat: Chat) -> None:
    answer = chat.llm_turn()
    chat.write(answer, "Tides ", status=None)
    assert routes.stop(chat.store, answer, chat.tokens[answer]) == {"stopped": True, "status": "running"}
    got = chat.store.get(answer)
    assert got is not None
    assert got.stop_requested
    chat.store.finish(answer, "stopped")
    assert routes.stop(chat.store, answer, chat.conversation_token) == {"stopped": False, "status": "stopped"}
    assert refusal(lambda: routes.stop(chat.store, answer, "nope-nope")).code == "answer_not_found"


# --- regenerate ----------------------------------------------------------------------------------


def test_regenerate_the_last_llm_answer_starts_the_same_job_under_a_new_id_and_token(chat: Chat) -> None:
    answer = chat.llm_turn()
    chat.write(answer, "Tides are old.")
    started: list[str] = []
    reply = routes.regenerate(
        chat.store, answer, chat.tokens[answer], ttl_seconds=TTL, start_worker=started.append
    )
    handle = reply["answer"]
    assert set(handle) == {"id", "token", "url"}
    assert handle["id"] != answer
    assert handle["url"] == f"/chat/answers/{handle['id']}"
    assert started == [handle["id"]]
    new = chat.store.get(handle["id"])
    old = chat.store.get(answer)
    assert new is not None
    assert old is not None
    assert (new.job, new.replaces, new.status, old.superseded_by) == (JOB, answer, "pending", handle["id"])
    assert chat.store.check_token(handle["id"], handle["token"])
    assert not chat.store.check_token(handle["id"], chat.tokens[answer])


def test_regenerate_while_an_answer_is_written_is_409_session_busy_with_its_id(chat: Chat) -> None:
    answer = chat.llm_turn()
    chat.write(answer, "Tides", status=None)
    error = refusal(lambda: routes.regenerate(chat.store, answer, chat.tokens[answer], ttl_seconds=TTL))
    assert (error.status, error.code, error.body()["error"]["answerId"]) == (409, "session_busy", answer)


def test_only_the_newest_answer_of_the_last_llm_turn_can_be_regenerated(chat: Chat) -> None:
    first = chat.llm_turn()
    chat.write(first, "One.")
    second = chat.llm_turn("and waves?")
    chat.write(second, "Two.")
    token = chat.conversation_token

    def regenerate(answer_id: str) -> dict[str, Any]:
        return routes.regenerate(chat.store, answer_id, token, ttl_seconds=TTL, start_worker=lambda _id: None)

    assert refusal(lambda: regenerate(first)).code == "cannot_regenerate"  # an earlier turn's
    newer = regenerate(second)["answer"]["id"]
    chat.write(newer, "Two, again.")
    assert refusal(lambda: regenerate(second)).code == "cannot_regenerate"  # superseded
    newest = regenerate(newer)["answer"]["id"]  # the regenerated one can be regenerated again
    chat.write(newest, "Two, third time.")
    chat.intent_turn()
    error = refusal(lambda: regenerate(newest))  # an intent turn came after it
    assert (error.status, error.code) == (409, "cannot_regenerate")


def test_a_worker_that_cannot_start_leaves_the_new_answer_failed_for_its_reader(chat: Chat) -> None:
    answer = chat.llm_turn()
    chat.write(answer, "Tides.")

    def broken(_answer_id: str) -> None:
        raise RuntimeError("no worker")

    handle = routes.regenerate(chat.store, answer, chat.tokens[answer], ttl_seconds=TTL, start_worker=broken)[
        "answer"
    ]
    [end] = events(routes.read_long_poll(chat.store, handle["id"], handle["token"], None, limits=NO_WAIT))
    assert end[0] == "end"
    assert (end[1]["status"], end[1]["errorKind"]) == ("failed", "unavailable")
    assert chat.store.active_answer(SESSION) is None


# --- conversation ----------------------------------------------------------------------------------


def test_the_conversation_shows_each_streamed_turn_with_its_newest_answer(chat: Chat) -> None:
    chat.intent_turn()
    answer = chat.llm_turn()
    chat.write(answer, "Tides ", "rise.", status="stopped")
    newer = routes.regenerate(
        chat.store, answer, chat.conversation_token, ttl_seconds=TTL, start_worker=lambda _id: None
    )["answer"]["id"]
    chat.write(newer, "Tides rise and fall.", status=None)
    kept = routes.conversation(chat.store, SESSION, chat.conversation_token)
    assert kept["sessionId"] == SESSION
    assert kept["activeAnswer"] == newer
    roles = [turn["role"] for turn in kept["turns"]]
    assert roles == ["user", "bot", "user", "bot"]
    assert "answer" not in kept["turns"][1]
    streamed = kept["turns"][3]
    assert streamed["answerId"] == answer
    assert streamed["answer"] == {
        "id": newer,
        "status": "running",
        "errorKind": None,
        "text": "Tides rise and fall.",
        "cursor": 1,
        "notice": None,
    }


def test_an_ended_answer_in_the_conversation_carries_its_notice(chat: Chat) -> None:
    answer = chat.llm_turn()
    chat.write(answer, "Part", status="failed", kind="timeout")
    [_, bot] = routes.conversation(chat.store, SESSION, chat.conversation_token)["turns"]
    assert bot["answer"]["status"] == "failed"
    assert bot["answer"]["notice"]
    assert bot["answer"]["text"] == "Part"


def test_a_wrong_token_an_unknown_or_malformed_session_are_the_same_404(chat: Chat) -> None:
    chat.intent_turn()
    cases = [
        (SESSION, "conv-token-wrong"),
        (SESSION, None),
        (SESSION, chat.tokens.get("x", "")),
        ("web-tab-8", chat.conversation_token),
        ("../x", chat.conversation_token),
        ("a", chat.conversation_token),
    ]
    bodies = {
        json.dumps(refusal(lambda s=s, t=t: routes.conversation(chat.store, s, t)).body()) for s, t in cases
    }
    assert len(bodies) == 1
    assert json.loads(bodies.pop())["error"]["code"] == "conversation_not_found"


def test_an_answer_token_does_not_open_the_conversation(chat: Chat) -> None:
    answer = chat.llm_turn()
    assert refusal(lambda: routes.conversation(chat.store, SESSION, chat.tokens[answer])).status == 404
