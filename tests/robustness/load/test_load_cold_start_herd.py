"""Many first requests at once (the dev server just started, a burst arrives): each handler builds its
settings, clients and provider once, not once per racing thread. Before this was guarded, 100
concurrent first turns on a fresh dev server each built a botocore client and took ~15 s."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

import lambda_chatgpt.container
import lambda_chatgpt.handler as fallback_handler
import lambda_chatgpt.wiring
import lambda_lex.handler as chat_handler
import lambda_lex.lex_gateway
from tests.robustness.support.local_stack import point_chat_handler_at

THREADS = 40


def all_at_once(build: Callable[[], Any]) -> list[Any]:
    start = threading.Barrier(THREADS)
    results: list[Any] = []
    lock = threading.Lock()

    def call() -> None:
        start.wait()
        value = build()
        with lock:
            results.append(value)

    threads = [threading.Thread(target=call) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_the_chat_handlers_container_is_built_once_under_a_burst(
    offline: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_chat_handler_at(monkeypatch, "http://127.0.0.1:9")
    built: list[int] = []
    real = lambda_lex.lex_gateway.make_client

    def counting_make_client(read_timeout: float) -> Any:
        built.append(1)
        return real(read_timeout)

    monkeypatch.setattr(chat_handler, "make_client", counting_make_client)
    containers = all_at_once(chat_handler.container)
    assert len(containers) == THREADS
    assert len({id(c) for c in containers}) == 1
    assert len(built) == 1


def test_the_fallback_handlers_container_is_built_once_under_a_burst(
    offline: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM_BASE_URL", "http://127.0.0.1:9/v1")
    fallback_handler.reset_container()
    built: list[int] = []
    real = lambda_chatgpt.wiring.build_provider

    def counting_build_provider(settings: Any, **options: Any) -> Any:
        built.append(1)
        time.sleep(0.05)  # as slow as building a botocore client (the Bedrock provider) would be
        return real(settings, **options)

    monkeypatch.setattr(lambda_chatgpt.container, "build_provider", counting_build_provider)
    try:
        containers = all_at_once(fallback_handler.container)
    finally:
        fallback_handler.reset_container()
    assert len({id(c) for c in containers}) == 1
    assert len(built) == 1
