"""The fallback's view of the shared memory: the providers' messages in, the same attribute out."""

from __future__ import annotations

import conversation_memory
from lambda_chatgpt.llm import Message
from lambda_chatgpt.memory import alternating, encode, load_history, remember


def test_what_the_fallback_remembers_is_what_the_shared_package_reads() -> None:
    attributes = remember(
        {"k": "v"}, [Message("user", "q0"), Message("assistant", "a0")], "q1", "a1", max_messages=10
    )
    shared, note = conversation_memory.load_history(attributes)
    assert note is None
    assert [(m.role, m.content) for m in shared] == [
        ("user", "q0"),
        ("assistant", "a0"),
        ("user", "q1"),
        ("assistant", "a1"),
    ]
    assert attributes["k"] == "v"


def test_loaded_history_is_made_of_provider_messages() -> None:
    written = conversation_memory.remember({}, [], "안녕하세요", "제 이름은 Lex입니다.", max_messages=10)
    history, note = load_history(written)
    assert note is None
    assert history == [Message("user", "안녕하세요"), Message("assistant", "제 이름은 Lex입니다.")]
    assert all(type(m) is Message for m in history)
    assert all(type(m) is Message for m in alternating(history))


def test_a_system_message_is_never_stored() -> None:
    value = encode([Message("system", "be brief"), Message("user", "q"), Message("assistant", "a")])
    assert "be brief" not in value
    assert load_history({conversation_memory.ATTRIBUTE: value})[0] == [
        Message("user", "q"),
        Message("assistant", "a"),
    ]
