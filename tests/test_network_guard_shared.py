"""The suite-wide network guard (tests/network_guard.py, installed by tests/conftest.py) refuses and
records every host but this machine, and leaves loopback lookups working."""

from __future__ import annotations

import socket
from typing import Any

import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError

from tests.network_guard import LocalOnlyLookup, is_local_host


@pytest.mark.parametrize(
    "host",
    [None, "localhost", "LOCALHOST.", "127.0.0.1", "127.8.9.10", "::1", "[::1]", b"127.0.0.1", "0.0.0.0"],
)
def test_this_machine_counts_as_local(host: object) -> None:
    assert is_local_host(host)


@pytest.mark.parametrize(
    "host",
    [
        "secretsmanager.us-east-1.amazonaws.com",
        "api.openai.com",
        "10.0.0.1",
        "8.8.8.8",
        "",
        443,
        "localhost.evil.example",
    ],
)
def test_other_hosts_do_not(host: object) -> None:
    assert not is_local_host(host)


def test_a_refused_lookup_raises_and_is_remembered_while_local_lookups_still_work() -> None:
    calls: list[object] = []

    def real_lookup(host: object, *rest: object) -> list[str]:
        calls.append(host)
        return ["answer"]

    lookup = LocalOnlyLookup(real_lookup)
    assert lookup("127.0.0.1", 80) == ["answer"]
    with pytest.raises(socket.gaierror, match=r"api\.openai\.com"):
        lookup("api.openai.com", 443)
    assert calls == ["127.0.0.1"]
    assert lookup.refused == ["api.openai.com"]


def test_the_guard_is_installed_for_every_test() -> None:
    """The autouse fixture is active here: a real AWS client cannot even resolve its endpoint."""
    assert isinstance(socket.getaddrinfo, LocalOnlyLookup)
    guard = socket.getaddrinfo
    client: Any = botocore.session.get_session().create_client(
        "sts",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=1),
    )
    with pytest.raises(EndpointConnectionError):
        client.get_caller_identity()
    assert len(guard.refused) == 1
    assert guard.refused[0].startswith("sts.")
    assert guard.refused[0].endswith(".amazonaws.com")
    guard.refused.clear()  # refused on purpose: the fixture's check after the test must not fail it
