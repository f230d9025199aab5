"""A flooding client next to polite ones, against a real dev server with the per-client rate limit.

Each client talks from its own loopback address (127.0.0.x: Linux routes all of 127/8 to the
loopback interface), so the dev server sees distinct client IPs as the stack's web ACL would.
Polite clients send one turn every `polite_pause` seconds, fewer than the limit allows; the
flooder sends as fast as `flood_threads` connections can for the same time. Used by
tests/robustness/load/test_load_fairness.py (behaviour) and bench/fairness.py (figures).
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

FLOODER_ADDRESS = "127.0.0.2"
POLITE_ADDRESS_BASE = 10  # polite client i talks from 127.0.0.(10 + i)
QUESTIONS = ("Hello", "what is a rainbow made of", "how far away is the moon")


@dataclass
class ClientLog:
    """What one client saw: statuses, latencies of answered turns, and every Retry-After/body of a 429."""

    statuses: list[int] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    throttled: list[tuple[str | None, dict[str, object]]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class FairnessRun:
    polite: list[ClientLog]
    flooder: ClientLog | None
    wall_seconds: float

    def polite_latencies(self) -> list[float]:
        return [latency for log in self.polite for latency in log.latencies]


def _post(connection: http.client.HTTPConnection, body: dict[str, str]) -> tuple[int, str | None, bytes]:
    payload = json.dumps(body).encode("utf-8")
    connection.request("POST", "/chat", body=payload, headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    return response.status, response.getheader("Retry-After"), response.read()


def _client(
    base_url: str, address: str, log: ClientLog, turns: int | None, pause: float, stop: threading.Event
) -> None:
    split = urlsplit(base_url)
    connection = http.client.HTTPConnection(
        split.hostname or "127.0.0.1", split.port, timeout=30, source_address=(address, 0)
    )
    session = f"fair-{address.replace('.', '-')}-{uuid.uuid4().hex[:8]}"
    sent = 0
    try:
        while not stop.is_set() and (turns is None or sent < turns):
            text = QUESTIONS[sent % len(QUESTIONS)]
            started = time.perf_counter()
            try:
                status, retry_after, raw = _post(
                    connection, {"text": text, "sessionId": session, "locale": "en_US"}
                )
            except (OSError, http.client.HTTPException) as error:
                log.errors.append(f"{type(error).__name__}: {error}")
                connection.close()
                connection = http.client.HTTPConnection(
                    split.hostname or "127.0.0.1", split.port, timeout=30, source_address=(address, 0)
                )
                continue
            elapsed = time.perf_counter() - started
            sent += 1
            log.statuses.append(status)
            if status == 200:
                log.latencies.append(elapsed)
            elif status == 429:
                log.throttled.append((retry_after, json.loads(raw)))
            if pause:
                stop.wait(pause)
    finally:
        connection.close()


def run_fairness(
    base_url: str,
    *,
    polite_clients: int = 4,
    polite_turns: int = 8,
    polite_pause: float = 0.4,
    flood_threads: int = 0,
) -> FairnessRun:
    """Polite clients run their turns; the flooder (when `flood_threads` > 0) floods until they finish."""
    stop = threading.Event()
    polite = [ClientLog() for _ in range(polite_clients)]
    flooder = ClientLog() if flood_threads else None
    flood_threads_started: list[threading.Thread] = []
    started = time.perf_counter()
    thread_logs = [ClientLog() for _ in range(flood_threads)]  # one per thread: no shared lists
    if flooder is not None:
        for log in thread_logs:
            thread = threading.Thread(target=_client, args=(base_url, FLOODER_ADDRESS, log, None, 0.0, stop))
            thread.start()
            flood_threads_started.append(thread)
        time.sleep(0.5)  # the flood is under way before the polite clients start
    polite_threads = [
        threading.Thread(
            target=_client,
            args=(base_url, f"127.0.0.{POLITE_ADDRESS_BASE + i}", log, polite_turns, polite_pause, stop),
        )
        for i, log in enumerate(polite)
    ]
    for thread in polite_threads:
        thread.start()
    for thread in polite_threads:
        thread.join()
    wall = time.perf_counter() - started
    stop.set()
    for thread in flood_threads_started:
        thread.join()
    if flooder is not None:
        for log in thread_logs:
            flooder.statuses += log.statuses
            flooder.latencies += log.latencies
            flooder.throttled += log.throttled
            flooder.errors += log.errors
    return FairnessRun(polite=polite, flooder=flooder, wall_seconds=wall)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]
