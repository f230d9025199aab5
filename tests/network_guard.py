"""Keeps every test on this machine: a stand-in for `socket.getaddrinfo` that refuses other hosts.

Nothing in the tests may reach a real cloud or LLM. A test that did would usually still pass here (no
network, so an AWS endpoint fails the way an "unreachable" test expects), which is exactly what must
not happen silently. `LocalOnlyLookup` answers for loopback names and addresses and raises
`socket.gaierror` for anything else, remembering each refused host so the fixture in
tests/conftest.py can fail the test afterwards even when the code under test swallowed the error.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from typing import Any

LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_local_host(host: object) -> bool:
    """True for no host (a bind), this machine's names, and loopback or unspecified addresses."""
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", errors="replace")
    if not isinstance(host, str):
        return False
    name = host.strip("[]").lower().rstrip(".")
    if name in LOCAL_NAMES:
        return True
    try:
        address = ipaddress.ip_address(name.split("%")[0])
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


class LocalOnlyLookup:
    """Calls the real lookup for local hosts; refuses (and records) every other host."""

    def __init__(self, lookup: Callable[..., Any]) -> None:
        self._lookup = lookup
        self.refused: list[str] = []

    def __call__(self, host: Any, *args: Any, **kwargs: Any) -> Any:
        if not is_local_host(host):
            self.refused.append(str(host))
            raise socket.gaierror(socket.EAI_NONAME, f"tests may not reach {host!r}")
        return self._lookup(host, *args, **kwargs)
