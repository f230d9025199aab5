"""Field checks shared by the bot-definition loaders: typed scalars, objects, lists, messages, prompts.

Every check raises `BotDefinitionError` naming the field's path. Scalars are coerced the way
CloudFormation coerces them (``"300"`` for an Integer, ``"true"`` for a Boolean).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .definition import (
    CUSTOM_PAYLOAD,
    IMAGE_RESPONSE_CARD,
    PLAIN_TEXT,
    SSML,
    CardButton,
    ImageCard,
    MessageGroup,
    MessageTemplate,
    PromptSpec,
    ResponseSpec,
)
from .errors import BotDefinitionError
from .messages import slot_references

_NAME = re.compile(r"^([0-9a-zA-Z][_-]?)+$")


# -- generic field checks -------------------------------------------------------------------------


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _object(
    raw: Any,
    path: str,
    *,
    supported: Iterable[str],
    harmless: Iterable[str] = (),
    required: Iterable[str] = (),
) -> dict[str, Any]:
    where = path or "the bot definition"
    if not isinstance(raw, dict):
        raise BotDefinitionError(path, f"{where} must be a JSON object")
    supported = tuple(supported)
    allowed = set(supported) | set(harmless)
    for key in raw:
        if key not in allowed:
            raise BotDefinitionError(
                _join(path, str(key)),
                "is not supported by the Lex emulator; supported here: " + ", ".join(sorted(allowed)),
            )
    for key in required:
        if key not in raw:
            raise BotDefinitionError(_join(path, key), "is required")
    return raw


def _str(raw: Any, path: str, *, min_len: int = 1, max_len: int | None = None) -> str:
    if not isinstance(raw, str):
        raise BotDefinitionError(path, "must be a string")
    if len(raw) < min_len:
        raise BotDefinitionError(path, f"must have at least {min_len} character(s)")
    if max_len is not None and len(raw) > max_len:
        raise BotDefinitionError(path, f"must have at most {max_len} characters")
    return raw


def _name(raw: Any, path: str) -> str:
    value = _str(raw, path, max_len=100)
    if not _NAME.match(value):
        raise BotDefinitionError(path, f"{value!r} is not a valid Lex name (letters, digits, single _ or -)")
    return value


# CloudFormation coerces scalar strings for typed properties: "true"/"false" for a Boolean, "300" for
# an Integer, "0.40" for a Number (templates written in YAML or by tools often quote them). The loader
# accepts exactly those spellings and nothing looser.
_INT_TEXT = re.compile(r"^[+-]?[0-9]+$")
_NUMBER_TEXT = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")


def _bool(raw: Any, path: str) -> bool:
    if isinstance(raw, str) and raw.strip().lower() in ("true", "false"):
        return raw.strip().lower() == "true"
    if not isinstance(raw, bool):
        raise BotDefinitionError(path, "must be true or false")
    return raw


def _int(raw: Any, path: str, *, low: int, high: int) -> int:
    if isinstance(raw, str) and _INT_TEXT.match(raw.strip()):
        raw = int(raw.strip())
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise BotDefinitionError(path, "must be an integer")
    if not low <= raw <= high:
        raise BotDefinitionError(path, f"must be between {low} and {high}")
    return raw


def _number(raw: Any, path: str, *, low: float, high: float) -> float:
    if isinstance(raw, str) and _NUMBER_TEXT.match(raw.strip()):
        raw = float(raw.strip())
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise BotDefinitionError(path, "must be a number")
    if not low <= raw <= high:
        raise BotDefinitionError(path, f"must be between {low:g} and {high:g}")
    return float(raw)


def _list(raw: Any, path: str, *, min_items: int = 0, max_items: int | None = None) -> list[Any]:
    if not isinstance(raw, list):
        raise BotDefinitionError(path, "must be a JSON array")
    if len(raw) < min_items:
        raise BotDefinitionError(path, f"must have at least {min_items} item(s)")
    if max_items is not None and len(raw) > max_items:
        raise BotDefinitionError(path, f"must have at most {max_items} items")
    return raw


def _must_be_off(raw: Any, path: str, key: str, *, off: Any, what: str) -> None:
    """Accept a setting only in the value that leaves it off (e.g. ``DialogCodeHook.Enabled: false``).

    Its other fields (e.g. the responses AWS::Lex::Bot requires beside ``IsActive``) were checked by the
    schema and do nothing while it is off.
    """
    if not isinstance(raw, dict):
        raise BotDefinitionError(path, f"{path} must be a JSON object")
    fields = _object({key: raw[key]} if key in raw else {}, path, supported=(key,), required=(key,))
    if fields[key] != off:
        raise BotDefinitionError(_join(path, key), f"{what} is not implemented by the Lex emulator")


# -- messages ---------------------------------------------------------------------------------------


def _check_references(text: str, path: str, slot_names: tuple[str, ...]) -> None:
    for name in slot_references(text):
        if name not in slot_names:
            known = ", ".join(slot_names) or "none"
            raise BotDefinitionError(
                path, f"refers to {{{name}}}, which is not a slot of this intent (slots: {known})"
            )


def _message(raw: Any, path: str, slot_names: tuple[str, ...]) -> MessageTemplate:
    kinds = ("PlainTextMessage", "CustomPayload", "SSMLMessage", "ImageResponseCard")
    fields = _object(raw, path, supported=kinds)
    present = [kind for kind in kinds if kind in fields]
    if len(present) != 1:
        raise BotDefinitionError(path, "must hold exactly one of " + ", ".join(kinds))
    kind = present[0]
    inner_path = _join(path, kind)
    if kind == "ImageResponseCard":
        card = _object(
            fields[kind],
            inner_path,
            supported=("Title", "Subtitle", "ImageUrl", "Buttons"),
            required=("Title",),
        )
        title = _str(card["Title"], _join(inner_path, "Title"), max_len=250)
        _check_references(title, _join(inner_path, "Title"), slot_names)
        subtitle = None
        if "Subtitle" in card:
            subtitle = _str(card["Subtitle"], _join(inner_path, "Subtitle"), max_len=250)
            _check_references(subtitle, _join(inner_path, "Subtitle"), slot_names)
        image_url = (
            _str(card["ImageUrl"], _join(inner_path, "ImageUrl"), max_len=250) if "ImageUrl" in card else None
        )
        buttons: list[CardButton] = []
        for index, button_raw in enumerate(
            _list(card.get("Buttons", []), _join(inner_path, "Buttons"), max_items=5)
        ):
            button_path = f"{inner_path}.Buttons[{index}]"
            button = _object(button_raw, button_path, supported=("Text", "Value"), required=("Text", "Value"))
            buttons.append(
                CardButton(
                    text=_str(button["Text"], _join(button_path, "Text"), max_len=50),
                    value=_str(button["Value"], _join(button_path, "Value"), max_len=50),
                )
            )
        return MessageTemplate(
            IMAGE_RESPONSE_CARD,
            card=ImageCard(title=title, subtitle=subtitle, image_url=image_url, buttons=tuple(buttons)),
        )
    value_fields = _object(fields[kind], inner_path, supported=("Value",), required=("Value",))
    value = _str(value_fields["Value"], _join(inner_path, "Value"), max_len=1000)
    content_type = {"PlainTextMessage": PLAIN_TEXT, "CustomPayload": CUSTOM_PAYLOAD, "SSMLMessage": SSML}[
        kind
    ]
    if content_type != CUSTOM_PAYLOAD:
        _check_references(value, _join(inner_path, "Value"), slot_names)
    return MessageTemplate(content_type, content=value)


def _groups(raw: Any, path: str, slot_names: tuple[str, ...]) -> tuple[MessageGroup, ...]:
    groups: list[MessageGroup] = []
    for index, group_raw in enumerate(_list(raw, path, min_items=1, max_items=5)):
        group_path = f"{path}[{index}]"
        group = _object(group_raw, group_path, supported=("Message", "Variations"), required=("Message",))
        variations = tuple(
            _message(variation, f"{group_path}.Variations[{v_index}]", slot_names)
            for v_index, variation in enumerate(
                _list(group.get("Variations", []), _join(group_path, "Variations"), max_items=2)
            )
        )
        groups.append(
            MessageGroup(
                message=_message(group["Message"], _join(group_path, "Message"), slot_names),
                variations=variations,
            )
        )
    return tuple(groups)


def _response(raw: Any, path: str, slot_names: tuple[str, ...]) -> ResponseSpec:
    fields = _object(
        raw,
        path,
        supported=("MessageGroupsList",),
        harmless=("AllowInterrupt",),
        required=("MessageGroupsList",),
    )
    if "AllowInterrupt" in fields:
        _bool(fields["AllowInterrupt"], _join(path, "AllowInterrupt"))
    return ResponseSpec(_groups(fields["MessageGroupsList"], _join(path, "MessageGroupsList"), slot_names))


PROMPT_ATTEMPTS = ("Initial", "Retry1", "Retry2", "Retry3", "Retry4", "Retry5")


def _prompt_attempts(raw: Any, path: str) -> None:
    """``PromptAttemptsSpecification``: per-attempt input settings (interrupts, audio/DTMF, timeouts).

    They only govern speech and DTMF input, so a text runtime checks their shape and has nothing to run.
    """
    fields = _object(raw, path, supported=PROMPT_ATTEMPTS)
    for key, value in fields.items():
        _object(
            value,
            _join(path, key),
            supported=(),
            harmless=(
                "AllowInterrupt",
                "AllowedInputTypes",
                "AudioAndDTMFInputSpecification",
                "TextInputSpecification",
            ),
        )


def _prompt(raw: Any, path: str, slot_names: tuple[str, ...]) -> PromptSpec:
    fields = _object(
        raw,
        path,
        supported=("MessageGroupsList", "MaxRetries", "MessageSelectionStrategy"),
        harmless=("AllowInterrupt", "PromptAttemptsSpecification"),
        required=("MessageGroupsList", "MaxRetries"),
    )
    if "AllowInterrupt" in fields:
        _bool(fields["AllowInterrupt"], _join(path, "AllowInterrupt"))
    if "PromptAttemptsSpecification" in fields:
        _prompt_attempts(fields["PromptAttemptsSpecification"], _join(path, "PromptAttemptsSpecification"))
    strategy = fields.get("MessageSelectionStrategy", "Random")
    if strategy not in ("Random", "Ordered"):
        raise BotDefinitionError(_join(path, "MessageSelectionStrategy"), "must be Random or Ordered")
    return PromptSpec(
        groups=_groups(fields["MessageGroupsList"], _join(path, "MessageGroupsList"), slot_names),
        max_retries=_int(fields["MaxRetries"], _join(path, "MaxRetries"), low=0, high=5),
        ordered=strategy == "Ordered",
    )


def _utterances(raw: Any, path: str, slot_names: tuple[str, ...]) -> tuple[str, ...]:
    utterances: list[str] = []
    for index, item in enumerate(_list(raw, path)):
        item_path = f"{path}[{index}]"
        fields = _object(item, item_path, supported=("Utterance",), required=("Utterance",))
        text = _str(fields["Utterance"], _join(item_path, "Utterance"), max_len=200).strip()
        if not text:
            raise BotDefinitionError(_join(item_path, "Utterance"), "must not be blank")
        _check_references(text, _join(item_path, "Utterance"), slot_names)
        utterances.append(text)
    return tuple(utterances)
