"""Handler discovery: one module per intent, named its snake_case, checked against the bot."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambda_codehook.bot_model import BotModel
from lambda_codehook.discovery import HandlerError, discover, snake_case
from tests.unit.codehook.codehook_support import BOT, write_handlers


def found(folder: Path) -> dict[str, tuple[bool, bool]]:
    handlers = discover(folder, BotModel.from_dict(BOT, source="bot.json"), package="test_discovery_handlers")
    return {name: (h.dialog is not None, h.fulfillment is not None) for name, h in handlers.items()}


@pytest.mark.parametrize(
    ("intent", "module"),
    [
        ("OrderCoffee", "order_coffee"),
        ("HTTPCheck", "http_check"),
        ("Book2Rooms", "book2_rooms"),
        ("pay_bill", "pay_bill"),
    ],
)
def test_the_module_name_is_the_intents_snake_case(intent: str, module: str) -> None:
    assert snake_case(intent) == module


def test_modules_are_found_helpers_share_code_through_relative_imports(tmp_path: Path) -> None:
    folder = write_handlers(
        tmp_path / "handlers",
        {
            "_menu.py": "PRICES = {'latte': 4}\n",
            "order_coffee.py": "from ._menu import PRICES\n\ndef dialog(request):\n    return PRICES\n",
            "pay_bill.py": "def fulfillment(request):\n    return None\n",
        },
    )

    assert found(folder) == {"OrderCoffee": (True, False), "PayBill": (False, True)}


def test_no_folder_means_no_handlers(tmp_path: Path) -> None:
    assert found(tmp_path / "missing") == {}


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"order_cofee.py": "def dialog(r): pass\n"},
            "order_cofee.py: no intent of bot.json is named like it",
        ),
        ({"pay_bill.py": "def dialog(r): pass\n"}, "dialog(request) would never run: intent PayBill"),
        (
            {"order_coffee.py": "dialog = 'not a function'\n"},
            "dialog must be a function dialog(request), not str",
        ),
        ({"order_coffee.py": "def fulfillment(): pass\n"}, "fulfillment must take exactly one argument"),
        ({"order_coffee.py": "X = 1\n"}, "defines neither dialog(request) nor fulfillment(request)"),
        ({"order_coffee.py": "import not_a_module_anywhere\n"}, "importing it failed: ModuleNotFoundError"),
        (
            {"fallback_intent.py": "def fulfillment(r): pass\n"},
            "FallbackIntent is answered by the LLM fallback",
        ),
    ],
)
def test_each_mismatch_is_named_with_its_file_and_fix(
    tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    folder = write_handlers(tmp_path / "handlers", files)

    with pytest.raises(HandlerError) as info:
        found(folder)

    assert expected in str(info.value)
    assert str(folder) in str(info.value)


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    folder = write_handlers(tmp_path / "handlers", {"a_b.py": "", "c_d.py": ""})

    with pytest.raises(HandlerError) as info:
        found(folder)

    assert "a_b.py" in str(info.value)
    assert "c_d.py" in str(info.value)


def test_a_hook_enabled_by_an_initial_response_or_slot_capture_step_counts_as_a_dialog_hook() -> None:
    bot = BotModel.from_dict(
        {
            "BotLocales": [
                {
                    "LocaleId": "en_US",
                    "Intents": [
                        {
                            "Name": "Greet",
                            "InitialResponseSetting": {
                                "CodeHook": {"EnableCodeHookInvocation": True, "IsActive": True}
                            },
                        },
                        {
                            "Name": "Book",
                            "FulfillmentCodeHook": {"Enabled": True},
                            "Slots": [
                                {
                                    "Name": "When",
                                    "ValueElicitationSetting": {
                                        "SlotCaptureSetting": {
                                            "CodeHook": {"EnableCodeHookInvocation": False}
                                        }
                                    },
                                }
                            ],
                        },
                    ],
                }
            ]
        }
    )

    assert bot.hooks_anywhere("Greet") == (True, False)
    assert bot.hooks_anywhere("Book") == (False, True)
