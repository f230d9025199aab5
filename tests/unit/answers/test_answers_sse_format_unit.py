"""The read route's SSE bytes: the framing the spec gives, and bytes that parse back to the same events
with the project's SSE decoder however they are cut (as a network or a proxy may cut them)."""

from __future__ import annotations

import json
import re

from hypothesis import given
from hypothesis import strategies as st

from lambda_answers.sse_format import KEEP_ALIVE, Delta, End, KeepAlive, encode, encode_all
from lambda_chatgpt.sse import SseDecoder, SseEvent


def test_a_delta_names_its_event_carries_the_cursor_as_id_and_its_text_as_json() -> None:
    assert encode(Delta("Tides are", 3)) == b'event: delta\nid: 3\ndata: {"text":"Tides are"}\n\n'


def test_the_end_event_carries_status_error_kind_finish_reason_and_notice() -> None:
    done = encode(End(cursor=7, status="done", finish_reason="stop"))
    assert done == (
        b'event: end\nid: 7\ndata: {"status":"done","errorKind":null,"finishReason":"stop","notice":null}\n\n'
    )
    failed = json.loads(encode(End(7, "failed", "timeout", None, "Sorry.")).split(b"data: ")[1])
    assert failed == {"status": "failed", "errorKind": "timeout", "finishReason": None, "notice": "Sorry."}


def test_keep_alive_is_a_comment() -> None:
    assert encode(KeepAlive()) == KEEP_ALIVE == b": keep-alive\n\n"


def test_text_with_line_breaks_stays_one_data_line_and_non_ascii_is_plain_utf8() -> None:
    body = encode(Delta("첫 줄\r\n둘째 줄\n\nthird\rline \u2028", 2))
    assert body.count(b"\n") == 4  # event, id, data, blank
    assert "첫 줄".encode() in body


def test_a_lone_surrogate_cannot_break_the_encoding() -> None:
    body = encode(Delta("a\ud800b", 1))
    [event] = SseDecoder().feed(body)
    assert json.loads(event.data) == {"text": "a?b"}


events = st.lists(
    st.one_of(
        st.builds(Delta, st.text(), st.integers(min_value=0, max_value=10**6)),
        st.builds(KeepAlive),
    ),
    max_size=6,
).map(lambda items: [*items, End(cursor=len(items), status="stopped", notice="멈췄어요")])


@given(events, st.data())
def test_any_cut_of_the_bytes_decodes_to_the_same_events(
    sequence: list[Delta | End | KeepAlive], data: st.DataObject
) -> None:
    body = encode_all(sequence)
    cuts = sorted(data.draw(st.lists(st.integers(min_value=0, max_value=len(body)), max_size=12)))
    decoder = SseDecoder()
    decoded: list[SseEvent] = []
    start = 0
    for cut in [*cuts, len(body)]:
        decoded.extend(decoder.feed(body[start:cut]))
        start = cut
    expected = [
        SseEvent(json.dumps({"text": e.text}, ensure_ascii=False, separators=(",", ":")), "delta")
        for e in sequence
        if isinstance(e, Delta)
    ]
    assert decoded[:-1] == expected
    assert decoded[-1].event == "end"
    assert json.loads(decoded[-1].data)["status"] == "stopped"
    assert [json.loads(e.data)["text"] for e in decoded[:-1]] == [
        e.text for e in sequence if isinstance(e, Delta)
    ]
    ids = [int(i) for i in re.findall(rb"^id: (\d+)$", body, flags=re.MULTILINE)]
    assert ids == [e.cursor for e in sequence if not isinstance(e, KeepAlive)]
