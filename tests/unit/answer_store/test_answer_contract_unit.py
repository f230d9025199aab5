"""The answer records' contract, run against every store: claim once, pieces and cursors, waiting
reads, finish/stop, one active answer per session, regeneration chains, tokens, expiry, staleness."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import pytest

from answer_store import STALE_AFTER_SECONDS, UNCLAIMED_AFTER_SECONDS, AnswerStore, SessionBusyError

from .conftest import Clock

TTL = 3600
JOB = {"question": "what is a lighthouse keeper's day like?", "locale": "en_US", "turn": 3}


def new_answer(store: AnswerStore, session: str = "sess-1", token: str = "tok-1", **extra: Any) -> str:
    return store.create(session_id=session, token=token, job=JOB, ttl_seconds=TTL, **extra)


def running_answer(store: AnswerStore, session: str = "sess-1", token: str = "tok-1") -> str:
    answer_id = new_answer(store, session, token)
    assert store.claim(answer_id) is not None
    return answer_id


def test_create_gives_a_pending_uuid_answer_with_the_job(store: AnswerStore, clock: Clock) -> None:
    answer_id = new_answer(store)
    assert uuid.UUID(answer_id).version == 4
    answer = store.get(answer_id)
    assert answer is not None
    assert (answer.status, answer.session_id, dict(answer.job)) == ("pending", "sess-1", JOB)
    assert (answer.text, answer.pieces, answer.stop_requested) == ("", 0, False)
    assert answer.created_at == clock.now
    assert answer.expires_at >= clock.now + TTL


def test_claim_moves_pending_to_running_exactly_once(store: AnswerStore) -> None:
    answer_id = new_answer(store)
    first = store.claim(answer_id)
    assert first is not None
    assert (first.status, dict(first.job)) == ("running", JOB)
    assert store.claim(answer_id) is None
    assert store.claim(str(uuid.uuid4())) is None


def test_two_racing_claims_have_exactly_one_winner(store: AnswerStore) -> None:
    for _ in range(5):
        answer_id = new_answer(store, session=f"race-{uuid.uuid4()}")
        start = threading.Barrier(2)
        results: list[object] = []

        def claim(
            answer_id: str = answer_id, start: threading.Barrier = start, results: list[object] = results
        ) -> None:
            start.wait()
            results.append(store.claim(answer_id))

        threads = [threading.Thread(target=claim) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert len(results) == 2
        assert sum(result is not None for result in results) == 1


def test_pieces_keep_their_order_and_cursors_count_pieces(store: AnswerStore) -> None:
    answer_id = running_answer(store)
    assert store.append(answer_id, "The light ") == 1
    assert store.append(answer_id, "turns ") == 2
    assert store.append(answer_id, "") == 2  # a heartbeat only
    assert store.append(answer_id, "all night.") == 3
    answer = store.get(answer_id)
    assert answer is not None
    assert (answer.text, answer.pieces) == ("The light turns all night.", 3)


def test_a_read_returns_the_text_after_its_cursor(store: AnswerStore) -> None:
    answer_id = running_answer(store)
    for piece in ["one ", "two ", "three"]:
        store.append(answer_id, piece)
    result = store.read(answer_id, 1, 0)
    assert result is not None
    assert (result.text, result.cursor, result.status, result.finished) == ("two three", 3, "running", False)
    nothing_new = store.read(answer_id, 3, 0)
    assert nothing_new is not None
    assert (nothing_new.text, nothing_new.cursor) == ("", 3)
    whole = store.read(answer_id, 0, 0)
    assert whole is not None
    assert whole.text == "one two three"


def test_a_waiting_read_wakes_on_an_append(store: AnswerStore) -> None:
    answer_id = running_answer(store)
    store.append(answer_id, "first")

    def append_later() -> None:
        time.sleep(0.3)
        store.append(answer_id, " second")

    writer = threading.Thread(target=append_later)
    started = time.monotonic()
    writer.start()
    result = store.read(answer_id, 1, 10.0)
    elapsed = time.monotonic() - started
    writer.join(5)
    assert result is not None
    assert (result.text, result.cursor) == (" second", 2)
    assert 0.25 <= elapsed < 3.0


def test_a_waiting_read_wakes_on_finish(store: AnswerStore) -> None:
    answer_id = running_answer(store)
    store.append(answer_id, "partial")
    timer = threading.Timer(0.3, store.finish, args=(answer_id, "stopped"))
    started = time.monotonic()
    timer.start()
    result = store.read(answer_id, 1, 10.0)
    timer.join(5)
    assert time.monotonic() - started < 3.0
    assert result is not None
    assert (result.text, result.cursor, result.status, result.finished) == ("", 1, "stopped", True)


def test_a_read_of_nothing_new_waits_its_time_then_returns_the_cursor(store: AnswerStore) -> None:
    answer_id = running_answer(store)
    store.append(answer_id, "only piece")
    started = time.monotonic()
    result = store.read(answer_id, 1, 0.4)
    elapsed = time.monotonic() - started
    assert result is not None
    assert (result.text, result.cursor, result.status) == ("", 1, "running")
    assert 0.35 <= elapsed < 3.0


def test_a_read_of_a_finished_answer_returns_at_once(store: AnswerStore) -> None:
    answer_id = running_answer(store)
    store.append(answer_id, "done text")
    store.finish(answer_id, "done", finish_reason="stop")
    started = time.monotonic()
    result = store.read(answer_id, 1, 10.0)
    assert time.monotonic() - started < 1.0
    assert result is not None
    assert (result.text, result.cursor, result.status, result.finish_reason) == ("", 1, "done", "stop")


def test_finish_keeps_the_text_and_a_second_finish_changes_nothing(store: AnswerStore) -> None:
    answer_id = running_answer(store)
    store.append(answer_id, "half an ans")
    store.finish(answer_id, "failed", error_kind="timeout", finish_reason=None)
    store.finish(answer_id, "done", finish_reason="stop")
    answer = store.get(answer_id)
    assert answer is not None
    assert (answer.status, answer.error_kind, answer.finish_reason) == ("failed", "timeout", None)
    assert (answer.text, answer.pieces) == ("half an ans", 1)


def test_appends_after_the_end_are_not_kept(store: AnswerStore) -> None:
    answer_id = running_answer(store)
    store.append(answer_id, "kept")
    store.finish(answer_id, "done")
    assert store.append(answer_id, "late") == 1
    answer = store.get(answer_id)
    assert answer is not None
    assert answer.text == "kept"


def test_finish_refuses_a_status_that_does_not_end_an_answer(store: AnswerStore) -> None:
    answer_id = running_answer(store)
    with pytest.raises(ValueError, match="status must be one of"):
        store.finish(answer_id, "running")


def test_stop_is_a_flag_for_the_worker_while_the_answer_is_active(store: AnswerStore) -> None:
    answer_id = running_answer(store)
    before = store.get(answer_id)
    assert before is not None
    assert before.stop_requested is False
    assert store.request_stop(answer_id) is True
    after = store.get(answer_id)
    assert after is not None
    assert (after.stop_requested, after.status) == (True, "running")
    store.finish(answer_id, "stopped")
    assert store.request_stop(answer_id) is False
    assert store.request_stop(str(uuid.uuid4())) is False


def test_a_pending_answer_can_be_asked_to_stop(store: AnswerStore) -> None:
    answer_id = new_answer(store)
    assert store.request_stop(answer_id) is True
    claimed = store.claim(answer_id)
    assert claimed is not None
    assert claimed.stop_requested is True


def test_one_active_answer_per_session(store: AnswerStore) -> None:
    first = new_answer(store)
    assert store.active_answer("sess-1") == first
    with pytest.raises(SessionBusyError) as busy:
        new_answer(store, token="tok-2")
    assert busy.value.answer_id == first
    other = new_answer(store, session="sess-2")
    assert store.active_answer("sess-2") == other
    store.claim(first)
    with pytest.raises(SessionBusyError):
        new_answer(store, token="tok-2")
    store.finish(first, "done")
    assert store.active_answer("sess-1") is None
    second = new_answer(store, token="tok-2")
    assert store.active_answer("sess-1") == second
    assert store.active_answer("nobody") is None


def test_a_regenerated_answer_supersedes_the_old_one_in_a_chain(store: AnswerStore) -> None:
    first = running_answer(store)
    store.append(first, "first try")
    store.finish(first, "done")
    second = new_answer(store, token="tok-2", replaces=first)
    store.claim(second)
    store.finish(second, "done")
    third = new_answer(store, token="tok-3", replaces=second)
    answers = [store.get(a) for a in (first, second, third)]
    assert all(a is not None for a in answers)
    chain = [(a.replaces, a.superseded_by) for a in answers if a is not None]
    assert chain == [(None, second), (first, third), (second, None)]
    replaced = store.get(first)
    assert replaced is not None
    assert (replaced.text, replaced.status) == ("first try", "done")


def test_regenerating_an_active_answer_is_refused(store: AnswerStore) -> None:
    first = running_answer(store)
    with pytest.raises(SessionBusyError):
        new_answer(store, token="tok-2", replaces=first)
    answer = store.get(first)
    assert answer is not None
    assert answer.superseded_by is None


def test_tokens_open_only_their_answer_and_are_not_stored_in_clear(store: AnswerStore) -> None:
    mine = new_answer(store, token="secret-one")
    theirs = new_answer(store, session="sess-2", token="secret-two")
    assert store.check_token(mine, "secret-one") is True
    assert store.check_token(mine, "secret-two") is False
    assert store.check_token(theirs, "secret-one") is False
    assert store.check_token(mine, "") is False
    assert store.check_token(str(uuid.uuid4()), "secret-one") is False
    assert "secret-one" not in repr(store.get(mine))


def test_the_conversation_token_opens_every_answer_of_its_session(store: AnswerStore) -> None:
    assert store.open_conversation("sess-1", "conv-secret", TTL) is True
    mine = new_answer(store, token="answer-secret")
    theirs = new_answer(store, session="sess-2", token="other-secret")
    assert store.check_token(mine, "conv-secret") is True
    assert store.check_token(theirs, "conv-secret") is False


def test_an_expired_answer_is_unknown_everywhere(store: AnswerStore, clock: Clock) -> None:
    answer_id = store.create(session_id="sess-1", token="tok", job=JOB, ttl_seconds=60)
    store.claim(answer_id)
    store.append(answer_id, "soon gone")
    clock.advance(61)
    assert store.get(answer_id) is None
    assert store.read(answer_id, 0, 0) is None
    assert store.claim(answer_id) is None
    assert store.check_token(answer_id, "tok") is False
    assert store.request_stop(answer_id) is False
    assert store.active_answer("sess-1") is None
    new_answer(store)  # the session is free again


def test_an_answer_silent_too_long_reads_as_failed_unavailable(store: AnswerStore, clock: Clock) -> None:
    answer_id = running_answer(store)
    store.append(answer_id, "started")
    clock.advance(STALE_AFTER_SECONDS - 1)
    store.append(answer_id, "")  # the heartbeat keeps it alive
    clock.advance(STALE_AFTER_SECONDS - 1)
    alive = store.get(answer_id)
    assert alive is not None
    assert alive.status == "running"
    clock.advance(2)
    dead = store.get(answer_id)
    assert dead is not None
    assert (dead.status, dead.error_kind, dead.text) == ("failed", "unavailable", "started")
    result = store.read(answer_id, 1, 10.0)
    assert result is not None
    assert (result.status, result.error_kind, result.finished) == ("failed", "unavailable", True)
    assert store.active_answer("sess-1") is None
    assert store.append(answer_id, "too late") == 1
    new_answer(store, token="tok-2")  # a stale answer does not block the session


def test_an_answer_never_claimed_reads_as_failed_unavailable(store: AnswerStore, clock: Clock) -> None:
    answer_id = new_answer(store)
    clock.advance(UNCLAIMED_AFTER_SECONDS + 1)
    answer = store.get(answer_id)
    assert answer is not None
    assert (answer.status, answer.error_kind) == ("failed", "unavailable")
    assert store.claim(answer_id) is None
    assert store.active_answer("sess-1") is None


def test_finishing_a_stale_answer_frees_the_session_and_stays_failed(
    store: AnswerStore, clock: Clock
) -> None:
    answer_id = running_answer(store)
    clock.advance(STALE_AFTER_SECONDS + 1)
    store.finish(answer_id, "done")
    answer = store.get(answer_id)
    assert answer is not None
    assert answer.status == "failed"
    assert store.active_answer("sess-1") is None


def test_korean_and_emoji_text_round_trips_exactly(store: AnswerStore) -> None:
    job = {
        "question": "등대지기의 하루는 어떤가요? 🌊",
        "messages": [{"role": "user", "content": "안녕 👋🏽"}],
    }
    answer_id = store.create(session_id="세션-1", token="토큰🔑", job=job, ttl_seconds=TTL)
    store.claim(answer_id)
    pieces = ["등대는 ", "밤새 🌙 돌아갑니다", "… 👨‍👩‍👧‍👦 끝"]
    for piece in pieces:
        store.append(answer_id, piece)
    answer = store.get(answer_id)
    assert answer is not None
    assert (answer.text, dict(answer.job), answer.session_id) == ("".join(pieces), job, "세션-1")
    result = store.read(answer_id, 1, 0)
    assert result is not None
    assert result.text == "".join(pieces[1:])
    assert store.check_token(answer_id, "토큰🔑") is True


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("job", {"when": object()}, "job must be JSON-serializable"),
        ("job", ["not", "an", "object"], "job must be a JSON object"),
        ("ttl_seconds", 0, "ttl_seconds must be"),
        ("session_id", "", "session_id must be"),
        ("token", "", "token must be"),
    ],
)
def test_create_names_bad_input(store: AnswerStore, field: str, value: object, message: str) -> None:
    arguments: dict[str, Any] = {"session_id": "sess-1", "token": "tok", "job": JOB, "ttl_seconds": TTL}
    arguments[field] = value
    with pytest.raises(ValueError, match=message):
        store.create(**arguments)
    assert store.active_answer("sess-1") is None


def test_a_negative_cursor_is_refused(store: AnswerStore) -> None:
    answer_id = running_answer(store)
    with pytest.raises(ValueError, match="cursor"):
        store.read(answer_id, -1, 0)


def test_racing_creates_in_one_session_leave_one_active_answer(store: AnswerStore) -> None:
    start = threading.Barrier(3)
    created: list[str] = []
    busy: list[str] = []

    def create(n: int) -> None:
        start.wait()
        try:
            created.append(new_answer(store, token=f"tok-{n}"))
        except SessionBusyError as error:
            busy.append(error.answer_id)

    threads = [threading.Thread(target=create, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert len(created) == 1
    assert busy == [created[0]] * 2
    assert store.active_answer("sess-1") == created[0]


def test_a_get_without_text_is_the_workers_cheap_stop_check(store: AnswerStore) -> None:
    answer_id = running_answer(store)
    store.append(answer_id, "some ")
    store.append(answer_id, "text")
    store.request_stop(answer_id)
    light = store.get(answer_id, include_text=False)
    assert light is not None
    assert (light.stop_requested, light.status, light.pieces, light.text, dict(light.job)) == (
        True,
        "running",
        2,
        "",
        {},
    )
    assert store.get(str(uuid.uuid4()), include_text=False) is None


def test_an_answer_of_another_session_cannot_be_replaced(store: AnswerStore) -> None:
    theirs = running_answer(store, session="sess-2")
    store.finish(theirs, "done")
    with pytest.raises(ValueError, match=r"replaces: answer .* belongs to another session"):
        new_answer(store, replaces=theirs)
    answer = store.get(theirs)
    assert answer is not None
    assert answer.superseded_by is None
    assert store.active_answer("sess-1") is None


def test_the_code_hook_can_fail_an_answer_no_worker_claimed(store: AnswerStore) -> None:
    answer_id = new_answer(store)
    store.finish(answer_id, "failed", error_kind="unavailable")
    answer = store.get(answer_id)
    assert answer is not None
    assert (answer.status, answer.error_kind) == ("failed", "unavailable")
    assert store.claim(answer_id) is None
    assert store.active_answer("sess-1") is None
