"""Corpus bot 7, a returns desk built in the Lex console and exported (bots/returns_desk_export/): the
fixture zips the export layout of https://docs.aws.amazon.com/lexv2/latest/dg/import-export-format.html
(``manifest.json`` and ``ReturnsDesk/Bot.json``, ``BotLocales/en_US/BotLocale.json``,
``Intents/*/Intent.json``, ``Intents/*/Slots/*/Slot.json``, ``SlotTypes/*/SlotType.json``) and serves the
``.zip`` as it is.

The flow branches on a slot value (https://docs.aws.amazon.com/lexv2/latest/dg/paths-branching.html): after
the Reason slot is captured a condition adds a restocking-fee notice for "changed mind"; the closing response
is followed by a condition that answers damaged items differently.
The intent has no fulfillment code hook, so it ends ReadyForFulfillment
(https://docs.aws.amazon.com/lexv2/latest/dg/intent-fulfillment.html).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.corpus.support import (
    BOTS,
    CorpusBot,
    action_of,
    elicits,
    intent_of,
    interpreted,
    start_bot,
    texts,
)

EXPORT = BOTS / "returns_desk_export"


def build_export_zip(directory: Path) -> Path:
    """The export's files in a .zip named as the console names a bot export."""
    archive = directory / "ReturnsDesk_DRAFT_QX7RT2LMBA_LexJson.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(EXPORT.rglob("*.json")):
            bundle.write(path, path.relative_to(EXPORT).as_posix())
    return archive


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[CorpusBot]:
    with start_bot(build_export_zip(tmp_path)) as bot:
        yield bot


def test_the_archive_has_the_console_export_layout(tmp_path: Path) -> None:
    names = set(zipfile.ZipFile(build_export_zip(tmp_path)).namelist())
    assert {
        "manifest.json",
        "ReturnsDesk/Bot.json",
        "ReturnsDesk/BotLocales/en_US/BotLocale.json",
        "ReturnsDesk/BotLocales/en_US/Intents/ReturnItem/Intent.json",
        "ReturnsDesk/BotLocales/en_US/Intents/ReturnItem/Slots/Reason/Slot.json",
        "ReturnsDesk/BotLocales/en_US/Intents/ReturnItem/Slots/OrderNumber/Slot.json",
        "ReturnsDesk/BotLocales/en_US/Intents/FallbackIntent/Intent.json",
        "ReturnsDesk/BotLocales/en_US/SlotTypes/ReturnReason/SlotType.json",
    } == names


def test_a_damaged_item_takes_the_damaged_branch_of_the_closing(desk: CorpusBot) -> None:
    chat = desk.dialog()
    assert texts(chat.say("I want to return an item")) == [
        "Why are you returning it: damaged, wrong size, or you changed your mind?"
    ]

    reason = chat.say("broken")
    assert interpreted(reason, "Reason") == "damaged"
    assert texts(reason) == ["What is the order number?"]  # the default branch has no message
    assert elicits(reason, "OrderNumber")

    done = chat.say("48213")
    assert interpreted(done, "OrderNumber") == "48213"
    assert texts(done) == [
        "Your return is registered.",
        "A courier will collect the damaged item from order 48213.",
    ]
    assert action_of(done)["type"] == "Close"
    assert intent_of(done)["state"] == "ReadyForFulfillment"


def test_changing_your_mind_adds_the_restocking_notice_and_takes_the_default_closing(desk: CorpusBot) -> None:
    chat = desk.dialog(session_id="changed-mind")
    chat.say("return my order")

    reason = chat.say("I changed my mind")
    assert interpreted(reason, "Reason") == "changed mind"
    assert texts(reason) == ["Please note a restocking fee of 10% applies.", "What is the order number?"]

    done = chat.say("7001")
    assert texts(done) == ["Your return is registered.", "Print the label we emailed you for order 7001."]


def test_a_reason_given_with_the_request_skips_its_prompt(desk: CorpusBot) -> None:
    chat = desk.dialog(session_id="one-go")

    first = chat.say("the item is too small")

    assert intent_of(first)["name"] == "ReturnItem"
    assert interpreted(first, "Reason") == "wrong size"
    assert elicits(first, "OrderNumber")
