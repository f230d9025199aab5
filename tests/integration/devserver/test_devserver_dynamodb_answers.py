"""Local mode with the stack's answer store: a DynamoDB table on a local endpoint, read by long polls.

`ANSWER_TABLE_NAME` with `AWS_ENDPOINT_URL_DYNAMODB` makes the dev server keep streamed answers in
that table through the same DynamoDB store the Lambdas use in AWS (conditional claims and writes,
consistent reads, TTL attributes), instead of the embedded store; with `ANSWER_READS=long-poll` the
read route is lambda_answers' buffered long poll too. Here the table lives on moto's DynamoDB
server on 127.0.0.1 (every call is real boto3 over HTTP), so the whole AWS-shaped path runs
offline: the turn, the worker writing batches, reads from a cursor, Stop, the kept conversation.
A table name without an endpoint is refused at start: local mode never calls AWS.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests

from devserver.client_stream import AnswerReader
from devserver.process import DevServerError, DevServerProcess
from tests.fakes.dynamodb import ANSWER_TABLE, create_answer_table
from tests.fakes.openai_server import Behaviour, FakeOpenAIServer
from tests.integration.devserver.devserver_llm import llm_env

QUESTION = "what is a rainbow made of"  # FallbackIntent in the frozen HelloWorld bot
PIECES = ["Light ", "bent ", "by ", "rain", "drops."]
REGION = "us-east-1"


def dynamodb(endpoint: str) -> Any:
    """A client of the local DynamoDB (dummy credentials: moto checks none)."""
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture(scope="module")
def dynamodb_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        create_answer_table(dynamodb(endpoint))
        yield endpoint
    finally:
        server.stop()


@pytest.fixture(scope="module")
def table_server(fake_llm: FakeOpenAIServer, dynamodb_endpoint: str) -> Iterator[DevServerProcess]:
    env = {
        **llm_env(fake_llm),
        "ANSWER_TABLE_NAME": ANSWER_TABLE,
        "AWS_ENDPOINT_URL_DYNAMODB": dynamodb_endpoint,
        "ANSWER_READS": "long-poll",
    }
    with DevServerProcess(env=env) as process:
        yield process


def ask(server: DevServerProcess, session: str) -> dict[str, Any]:
    response = requests.post(
        server.url + "/chat",
        json={"text": QUESTION, "sessionId": session, "locale": "en_US", "stream": True},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def stored_items(endpoint: str, session: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = dynamodb(endpoint).scan(TableName=ANSWER_TABLE)["Items"]
    return [item for item in items if session in json.dumps(item)]


def test_an_answer_is_written_to_the_table_and_read_to_its_end(
    table_server: DevServerProcess, llm: FakeOpenAIServer, dynamodb_endpoint: str
) -> None:
    assert f"answers in DynamoDB table {ANSWER_TABLE} at {dynamodb_endpoint}" in table_server.stdout
    llm.default = Behaviour.streamed(PIECES, chunk_pause=0.3)
    session = f"ddb-{uuid.uuid4()}"
    reply = ask(table_server, session)
    pieces: list[str] = []
    with requests.Session() as http:
        end = AnswerReader(http, table_server.url + "/chat", reply["answer"]).read(pieces.append)
    assert end.status == "done"
    assert end.text == "".join(PIECES)
    assert len(pieces) >= 2, "the text should come in more than one poll"
    items = stored_items(dynamodb_endpoint, session)
    assert items, "nothing of the session is in the table"
    assert all("expiresAt" in item for item in items), "every item carries its TTL"

    conversation = requests.get(
        table_server.url + f"/chat/conversations/{session}",
        headers={"X-Conversation-Token": reply["conversation"]["token"]},
        timeout=30,
    )
    assert conversation.status_code == 200, conversation.text
    turns = conversation.json()["turns"]
    assert any(QUESTION in json.dumps(turn) for turn in turns)
    assert any("".join(PIECES) in json.dumps(turn) for turn in turns)


def test_stop_through_the_table_ends_the_answer_and_keeps_its_text(
    table_server: DevServerProcess, llm: FakeOpenAIServer
) -> None:
    llm.default = Behaviour.streamed([f"word{n:03d} " for n in range(200)], chunk_pause=0.05)
    reply = ask(table_server, f"ddb-stop-{uuid.uuid4()}")
    handle = reply["answer"]
    with requests.Session() as http:
        reader = AnswerReader(http, table_server.url + "/chat", handle)
        seen: list[str] = []

        def stop_once_started(text: str) -> None:
            seen.append(text)
            if len(seen) == 1:
                stopped = http.post(
                    table_server.url + handle["url"] + "/stop",
                    headers={"X-Answer-Token": handle["token"]},
                    timeout=30,
                )
                assert stopped.status_code == 200, stopped.text

        end = reader.read(stop_once_started)
    assert end.status == "stopped"
    assert end.text.startswith("word000 ")
    assert len(end.text) < len("".join(f"word{n:03d} " for n in range(200))), "Stop did not cut the answer"


def test_a_table_without_a_local_endpoint_is_refused_at_start(fake_llm: FakeOpenAIServer) -> None:
    env = {**llm_env(fake_llm), "ANSWER_TABLE_NAME": ANSWER_TABLE}
    with pytest.raises(DevServerError, match="needs AWS_ENDPOINT_URL_DYNAMODB"), DevServerProcess(env=env):
        pass
