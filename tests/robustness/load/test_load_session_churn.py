"""20,000 short sessions through the emulator's embedding API, the clock jumping past the idle TTL
between batches of 1,000: idle sessions are forgotten and memory stays flat.

Robust rather than timing-based: the clock is a fake the test moves, liveness is what GetSession
answers, and memory is counted after a garbage collection, both as the interpreter's allocated
blocks (exact, immune to allocator caching) and as resident set size (with a margin). A leak of even
one small object per session would add 16,000 blocks over the measured stretch; the limit is a
quarter of that.
"""

from __future__ import annotations

import pytest

from lex_emulator import LexEmulator
from tests.robustness.support.churn import FakeClock, churn, clocked_emulator, is_alive

SESSIONS = 20_000
BATCH = 1_000
WARM_BATCHES = 4  # caches, the session table and the allocator settle in the first batches
LEAK_LIMIT_BLOCKS = (SESSIONS - WARM_BATCHES * BATCH) // 4
RSS_LIMIT_KIB = 10 * 1024


def resident_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS in /proc/self/status")


@pytest.fixture
def clocked() -> tuple[LexEmulator, FakeClock]:
    return clocked_emulator()


def test_20000_short_sessions_leave_memory_flat_and_only_the_last_batch_alive(
    clocked: tuple[LexEmulator, FakeClock],
) -> None:
    emulator, clock = clocked
    rss: list[int] = []
    result = churn(
        emulator,
        clock,
        sessions=SESSIONS,
        batch=BATCH,
        record_latencies=False,
        after_batch=lambda _: rss.append(resident_kib()),
    )
    assert result.sessions == SESSIONS
    assert result.turns == SESSIONS * 2 + SESSIONS // 10

    alive = [index for index in range(SESSIONS) if is_alive(emulator, index)]
    assert alive == list(range(SESSIONS - BATCH, SESSIONS))

    blocks = result.blocks_after_batch
    growth = max(blocks[WARM_BATCHES:]) - blocks[WARM_BATCHES - 1]
    assert growth < LEAK_LIMIT_BLOCKS, (
        f"{growth} blocks more after {SESSIONS - WARM_BATCHES * BATCH} sessions"
    )
    rss_growth = max(rss[WARM_BATCHES:]) - rss[WARM_BATCHES - 1]
    assert rss_growth < RSS_LIMIT_KIB, f"resident memory grew {rss_growth} KiB"


def test_the_measure_would_see_a_leak(clocked: tuple[LexEmulator, FakeClock]) -> None:
    """Control: when nothing expires, the same measure grows by far more than the limit per batch."""
    emulator, _ = clocked
    unread = FakeClock()  # churn moves this clock, which the emulator does not read
    result = churn(emulator, unread, sessions=3 * BATCH, batch=BATCH, record_latencies=False)
    per_batch = result.blocks_after_batch[2] - result.blocks_after_batch[1]
    assert per_batch > 4 * LEAK_LIMIT_BLOCKS, f"only {per_batch} blocks for 1,000 more live sessions"
    assert all(is_alive(emulator, index) for index in range(3 * BATCH))
