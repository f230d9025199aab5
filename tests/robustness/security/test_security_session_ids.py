"""The session id is the only key to a conversation, and it cannot be guessed.

Generated ids are uuid4 (122 random bits from the OS): checked on 300 ids made by the /chat handler,
down to every one of the 122 random bit positions taking both values (a clock- or counter-based id
would leave most of them fixed). And a conversation's memory cannot be reached without its exact id:
GetSession on any other id (another id, the same id in another case, a prefix) finds nothing of it,
and a turn on another id sends the LLM nothing of it. Knowing the id is enough, by design: it is the
bearer token of the conversation, which is why it must be random and never logged with the text.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from tests.robustness.support.llm_fakes import FaultyOpenAIServer, echo_reply, parse_echo
from tests.robustness.support.local_stack import (
    ALIAS_ID,
    BOT_ID,
    point_chat_handler_at,
    post_chat,
    served_emulator,
)

CANARY = "Zumbrovia"


def test_generated_session_ids_are_uuid4_with_122_random_bits(chat_stack: str) -> None:
    ids = []
    for _ in range(300):
        answer = post_chat({"text": "Hello", "locale": "en_US"})
        assert answer.status == 200
        ids.append(answer.body["sessionId"])
    assert len(set(ids)) == len(ids)
    values = []
    for text in ids:
        parsed = uuid.UUID(text)
        assert str(parsed) == text  # canonical lower-case form
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122
        values.append(parsed.int)
    fixed_bits = {127 - 48, 127 - 49, 127 - 50, 127 - 51, 127 - 64, 127 - 65}  # version 0100, variant 10
    random_bits = [bit for bit in range(128) if bit not in fixed_bits]
    assert len(random_bits) == 122
    for bit in random_bits:
        ones = sum((value >> bit) & 1 for value in values)
        assert 0 < ones < len(values), f"bit {bit} never changes"


@pytest.fixture
def remembering_chain(
    offline: None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Any, FaultyOpenAIServer]]:
    """/chat handler -> emulator -> lambda_chatgpt -> echoing fake LLM; and a boto3 client on the emulator."""
    with FaultyOpenAIServer(reply=echo_reply) as llm:
        for name in ("LLM_SECRET_NAME", "LLM_PROVIDER", "OPENAI_BASE_URL"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("LLM_BASE_URL", llm.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-session-test-0000000000")
        with served_emulator(hook="lambda_chatgpt.handler:handler") as (_, running):
            point_chat_handler_at(monkeypatch, running.url)
            client = boto3.client(
                "lexv2-runtime", endpoint_url=running.url, config=Config(retries={"total_max_attempts": 1})
            )
            yield client, llm


def get_session(client: Any, session_id: str) -> dict[str, Any] | None:
    try:
        view: dict[str, Any] = client.get_session(
            botId=BOT_ID, botAliasId=ALIAS_ID, localeId="en_US", sessionId=session_id
        )
    except client.exceptions.ResourceNotFoundException:
        return None
    return view


def test_another_id_reads_nothing_of_a_conversation(
    remembering_chain: tuple[Any, FaultyOpenAIServer],
) -> None:
    client, llm = remembering_chain
    owner = f"Owner-{uuid.uuid4()}"
    for text in ("Hello", CANARY, f"What grows in the {CANARY} valley?"):
        assert post_chat({"text": text, "sessionId": owner, "locale": "en_US"}).status == 200
    own = get_session(client, owner)
    assert own is not None
    assert CANARY in str(own)  # control: the memory is there, under its id

    strangers = [f"Other-{uuid.uuid4()}", owner.lower(), owner.upper(), owner[:-1], owner + "0", owner[1:]]
    for stranger in strangers:
        assert get_session(client, stranger) is None, stranger

    stranger = strangers[0]
    answer = post_chat({"text": "What grows in the valley?", "sessionId": stranger, "locale": "en_US"})
    echo = parse_echo(answer.body["msg"])
    assert echo["earlier"] == []
    assert echo["n"] == 2
    assert CANARY not in str(llm.requests[-1].body)
    view = get_session(client, stranger)
    assert view is not None
    assert CANARY not in str(view)


def test_the_id_is_the_key_whoever_holds_it_continues_the_conversation(
    remembering_chain: tuple[Any, FaultyOpenAIServer],
) -> None:
    """By design, not a leak: the same id from anywhere is the same conversation (hence uuid4)."""
    _, _ = remembering_chain
    owner = f"Owner-{uuid.uuid4()}"
    post_chat({"text": f"Tell me about {CANARY} please", "sessionId": owner, "locale": "en_US"})
    again = post_chat({"text": "And what else?", "sessionId": owner, "locale": "en_US"})
    assert parse_echo(again.body["msg"])["earlier"] == [f"Tell me about {CANARY} please"]
