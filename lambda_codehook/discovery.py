"""Finding the user's intent handlers: one module per intent in a `handlers/` folder beside the bot file.

The rules, so a user can guess them:
- the folder is loaded as a Python package (named `intent_handlers`), so its modules may share code
  with relative imports (`from ._menu import PRICES`);
- `order_coffee.py` handles the intent `OrderCoffee` (the snake_case of the intent's name);
- it defines `dialog(request)` (DialogCodeHook) and/or `fulfillment(request)` (FulfillmentCodeHook);
- modules whose name starts with `_` are helpers and handle nothing.

Everything else is a mistake named in one `HandlerError`: a module matching no intent, a function
for a hook the intent never enables (it would never run), something that is not a one-argument
function, a module that fails to import, a handler for FallbackIntent (the LLM answers it).
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import inspect
import pkgutil
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .bot_model import FALLBACK_INTENT, BotModel

PACKAGE = "intent_handlers"
HOOK_FUNCTIONS = ("dialog", "fulfillment")
HandlerFunction = Callable[[Any], Any]


class HandlerError(Exception):
    """The handlers folder does not match the bot; the message lists each problem and its fix."""


@dataclass(frozen=True)
class IntentHandlers:
    """The functions one module gives one intent."""

    intent: str
    path: str
    dialog: HandlerFunction | None = None
    fulfillment: HandlerFunction | None = None


def snake_case(name: str) -> str:
    """OrderCoffee -> order_coffee, BookHotelRoom -> book_hotel_room, HTTPCheck -> http_check."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", spaced)
    return re.sub(r"[^0-9a-zA-Z]+", "_", spaced).strip("_").lower()


def load_package(directory: Path, name: str = PACKAGE) -> None:
    """Import `directory` as the package `name`, forgetting any earlier package of that name."""
    for loaded in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
        del sys.modules[loaded]
    init = directory / "__init__.py"
    if init.is_file():
        spec = importlib.util.spec_from_file_location(name, init, submodule_search_locations=[str(directory)])
    else:
        spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
        spec.submodule_search_locations = [str(directory)]
    if spec is None:
        raise HandlerError(f"{directory} cannot be loaded as a Python package")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        if spec.loader is not None:
            spec.loader.exec_module(module)
    except Exception as error:
        del sys.modules[name]
        raise HandlerError(f"{init}: importing it failed: {type(error).__name__}: {error}") from error


def discover(directory: Path | None, bot: BotModel, *, package: str = PACKAGE) -> dict[str, IntentHandlers]:
    """The handlers in `directory` by intent name ({} when there is no such folder); HandlerError
    listing every problem when the folder and the bot disagree."""
    if directory is None or not directory.is_dir():
        return {}
    load_package(directory, package)
    by_module = {snake_case(intent): intent for intent in bot.intent_names()}
    problems: list[str] = []
    found: dict[str, IntentHandlers] = {}
    for module_info in sorted(pkgutil.iter_modules([str(directory)]), key=lambda m: m.name):
        module_name = module_info.name
        if module_name.startswith("_"):
            continue
        path = directory / (module_name if module_info.ispkg else f"{module_name}.py")
        intent = by_module.get(module_name)
        if intent is None:
            problems.append(
                f"{path}: no intent of {bot.source} is named like it (the module for intent FooBar is "
                f"foo_bar.py; intents: {', '.join(bot.intent_names()) or 'none'}). Rename it, or start a "
                "helper module's name with _"
            )
            continue
        if intent == FALLBACK_INTENT:
            problems.append(
                f"{path}: FallbackIntent is answered by the LLM fallback and takes no handler; remove it"
            )
            continue
        try:
            module = importlib.import_module(f"{package}.{module_name}")
        except Exception as error:
            problems.append(f"{path}: importing it failed: {type(error).__name__}: {error}")
            continue
        handlers, module_problems = _intent_handlers(intent, str(path), vars(module), bot)
        problems.extend(module_problems)
        if handlers is not None:
            found[intent] = handlers
    if problems:
        raise HandlerError(
            f"the intent handlers in {directory} do not fit the bot:\n  - " + "\n  - ".join(problems)
        )
    return found


def _intent_handlers(
    intent: str, path: str, namespace: Mapping[str, Any], bot: BotModel
) -> tuple[IntentHandlers | None, list[str]]:
    problems: list[str] = []
    dialog_enabled, fulfillment_enabled = bot.hooks_anywhere(intent)
    enabled = {"dialog": dialog_enabled, "fulfillment": fulfillment_enabled}
    setting = {
        "dialog": "DialogCodeHook.Enabled",
        "fulfillment": "FulfillmentCodeHook.Enabled",
    }
    functions: dict[str, HandlerFunction] = {}
    for name in HOOK_FUNCTIONS:
        if name not in namespace:
            continue
        function = namespace[name]
        if not callable(function):
            problems.append(
                f"{path}: {name} must be a function {name}(request), not {type(function).__name__}"
            )
            continue
        if not _takes_one_argument(function):
            problems.append(
                f"{path}: {name} must take exactly one argument, the request: def {name}(request)"
            )
            continue
        if not enabled[name]:
            problems.append(
                f"{path}: {name}(request) would never run: intent {intent} does not enable its "
                f"{'dialog' if name == 'dialog' else 'fulfillment'} code hook in {bot.source} "
                f"(set {setting[name]} to true, or remove {name})"
            )
            continue
        functions[name] = function
    if not problems and not functions:
        problems.append(
            f"{path}: defines neither dialog(request) nor fulfillment(request) for intent {intent}; add one, "
            "or start the module's name with _ if it is a helper"
        )
    if problems:
        return None, problems
    return IntentHandlers(intent, path, functions.get("dialog"), functions.get("fulfillment")), []


def _takes_one_argument(function: HandlerFunction) -> bool:
    try:
        inspect.signature(function).bind(None)
    except TypeError:
        return False
    except ValueError:  # a builtin without a signature: give it the benefit of the doubt
        return True
    return True
