"""Loading the Lex V2 conversation-flow settings: next steps, conditional branches, code-hook settings.

These are the CloudFormation shapes ``DialogState``, ``ConditionalSpecification``,
``DialogCodeHookInvocationSetting``, ``ElicitationCodeHookInvocationSetting``,
``InitialResponseSetting``, ``DefaultValueSpecification`` and the intent's contexts. Each becomes a
dataclass of `definition`; a condition is parsed by `conditions.parse` here, so a bad expression
stops the load with its path. Steps that name other intents or slots are collected in a
`StepChecks` and checked once every intent of the locale is known.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .conditions import ConditionSyntaxError, parse
from .definition import (
    ELICIT_SLOT_STEP,
    START_INTENT,
    STEP_TYPES,
    BranchDef,
    CodeHookDef,
    ConditionalDef,
    ElicitationHookDef,
    InitialResponseDef,
    OutcomeDef,
    OutputContextDef,
    StepDef,
)
from .errors import BotDefinitionError
from .loader_fields import _bool, _int, _join, _list, _name, _object, _response, _str

MAX_BRANCHES = 4


@dataclass
class StepChecks:
    """Steps seen while loading one locale, checked against its intents at the end."""

    steps: list[tuple[str, str, StepDef]] = field(default_factory=list)  # path, owning intent, step

    def check(self, intents: dict[str, tuple[str, ...]]) -> None:
        for path, owner, step in self.steps:
            target = step.intent_name or owner
            if step.intent_name is not None and step.intent_name not in intents:
                raise BotDefinitionError(
                    _join(path, "Intent.Name"), f"{step.intent_name} is not an intent of this locale"
                )
            slots = intents.get(target, ())
            for slot_name, _ in step.slot_values:
                if slot_name not in slots:
                    raise BotDefinitionError(
                        _join(path, "Intent.Slots"), f"{slot_name} is not a slot of intent {target}"
                    )
            if step.action == ELICIT_SLOT_STEP and step.slot_to_elicit not in slots:
                raise BotDefinitionError(
                    _join(path, "DialogAction.SlotToElicit"),
                    f"{step.slot_to_elicit} is not a slot of intent {target}",
                )
            if step.action == START_INTENT and step.intent_name is None:
                raise BotDefinitionError(_join(path, "Intent.Name"), "StartIntent needs the intent to start")


@dataclass
class Scope:
    """Where a setting sits: its intent's name and slot names (for {Slot} references), and the checks."""

    intent: str
    slot_names: tuple[str, ...]
    checks: StepChecks


def _slot_override(raw: Any, path: str) -> tuple[str, ...] | None:
    fields = _object(raw, path, supported=("Shape", "Value", "Values"))
    shape = fields.get("Shape", "Scalar")
    if shape not in ("Scalar", "List"):
        raise BotDefinitionError(_join(path, "Shape"), "must be Scalar or List")
    if shape == "List":
        values: list[str] = []
        for index, item in enumerate(_list(fields.get("Values", []), _join(path, "Values"))):
            inner = _slot_override(item, f"{path}.Values[{index}]")
            values.extend(inner or ())
        return tuple(values) or None
    if "Value" not in fields:
        return None  # an override without a value clears the slot
    value = _object(fields["Value"], _join(path, "Value"), supported=("InterpretedValue",))
    if "InterpretedValue" not in value:
        return None
    return (_str(value["InterpretedValue"], _join(path, "Value.InterpretedValue"), max_len=202),)


def step(raw: Any, path: str, scope: Scope) -> StepDef:
    """A ``DialogState`` next step."""
    fields = _object(raw, path, supported=("DialogAction", "Intent", "SessionAttributes"))
    action = None
    slot_to_elicit = None
    suppress = False
    if "DialogAction" in fields:
        action_path = _join(path, "DialogAction")
        action_fields = _object(
            fields["DialogAction"],
            action_path,
            supported=("Type", "SlotToElicit", "SuppressNextMessage"),
            required=("Type",),
        )
        action = action_fields["Type"]
        if action not in STEP_TYPES:
            raise BotDefinitionError(_join(action_path, "Type"), "must be one of " + ", ".join(STEP_TYPES))
        if "SlotToElicit" in action_fields:
            slot_to_elicit = _name(action_fields["SlotToElicit"], _join(action_path, "SlotToElicit"))
        if action == ELICIT_SLOT_STEP and slot_to_elicit is None:
            raise BotDefinitionError(_join(action_path, "SlotToElicit"), "is required with ElicitSlot")
        suppress = _bool(
            action_fields.get("SuppressNextMessage", False), _join(action_path, "SuppressNextMessage")
        )
    intent_name = None
    slot_values: list[tuple[str, tuple[str, ...] | None]] = []
    if "Intent" in fields:
        intent_path = _join(path, "Intent")
        intent = _object(fields["Intent"], intent_path, supported=("Name", "Slots"))
        if "Name" in intent:
            intent_name = _name(intent["Name"], _join(intent_path, "Name"))
        for index, slot_raw in enumerate(_list(intent.get("Slots", []), _join(intent_path, "Slots"))):
            slot_path = f"{intent_path}.Slots[{index}]"
            slot = _object(
                slot_raw, slot_path, supported=("SlotName", "SlotValueOverride"), required=("SlotName",)
            )
            name = _name(slot["SlotName"], _join(slot_path, "SlotName"))
            override = (
                _slot_override(slot["SlotValueOverride"], _join(slot_path, "SlotValueOverride"))
                if "SlotValueOverride" in slot
                else None
            )
            slot_values.append((name, override))
    attributes: list[tuple[str, str]] = []
    for index, item in enumerate(
        _list(fields.get("SessionAttributes", []), _join(path, "SessionAttributes"))
    ):
        item_path = f"{path}.SessionAttributes[{index}]"
        pair = _object(item, item_path, supported=("Key", "Value"), required=("Key",))
        key = _str(pair["Key"], _join(item_path, "Key"), max_len=1024)
        value = _str(pair.get("Value", ""), _join(item_path, "Value"), min_len=0, max_len=1024)
        attributes.append((key, value))
    result = StepDef(
        action=action,
        slot_to_elicit=slot_to_elicit,
        suppress_next_message=suppress,
        intent_name=intent_name,
        slot_values=tuple(slot_values),
        session_attributes=tuple(attributes),
    )
    scope.checks.steps.append((path, scope.intent, result))
    return result


def conditional(raw: Any, path: str, scope: Scope) -> ConditionalDef:
    """A ``ConditionalSpecification``: up to four branches, then the default branch."""
    fields = _object(
        raw,
        path,
        supported=("IsActive", "ConditionalBranches", "DefaultBranch"),
        required=("IsActive", "ConditionalBranches", "DefaultBranch"),
    )
    branches: list[BranchDef] = []
    raw_branches = _list(
        fields["ConditionalBranches"], _join(path, "ConditionalBranches"), min_items=1, max_items=MAX_BRANCHES
    )
    for index, branch_raw in enumerate(raw_branches):
        branch_path = f"{path}.ConditionalBranches[{index}]"
        branch = _object(
            branch_raw,
            branch_path,
            supported=("Name", "Condition", "NextStep", "Response"),
            required=("Name", "Condition", "NextStep"),
        )
        condition_path = _join(branch_path, "Condition")
        condition = _object(
            branch["Condition"],
            condition_path,
            supported=("ExpressionString",),
            required=("ExpressionString",),
        )
        expression = _str(
            condition["ExpressionString"], _join(condition_path, "ExpressionString"), max_len=1024
        )
        try:
            parsed = parse(expression)
        except ConditionSyntaxError as error:
            raise BotDefinitionError(_join(condition_path, "ExpressionString"), str(error)) from None
        branches.append(
            BranchDef(
                name=_name(branch["Name"], _join(branch_path, "Name")),
                condition=parsed,
                expression=expression,
                response=(
                    _response(branch["Response"], _join(branch_path, "Response"), scope.slot_names)
                    if "Response" in branch
                    else None
                ),
                step=step(branch["NextStep"], _join(branch_path, "NextStep"), scope),
            )
        )
    default_path = _join(path, "DefaultBranch")
    default = _object(fields["DefaultBranch"], default_path, supported=("NextStep", "Response"))
    return ConditionalDef(
        active=_bool(fields["IsActive"], _join(path, "IsActive")),
        branches=tuple(branches),
        default_response=(
            _response(default["Response"], _join(default_path, "Response"), scope.slot_names)
            if "Response" in default
            else None
        ),
        default_step=(
            step(default["NextStep"], _join(default_path, "NextStep"), scope)
            if "NextStep" in default
            else StepDef(action=None)
        ),
    )


def outcome(
    fields: dict[str, Any], path: str, scope: Scope, *, response: str, next_step: str, conditional_key: str
) -> OutcomeDef | None:
    """The response / next step / conditional trio found under these keys, or None when none is set."""
    if not any(key in fields for key in (response, next_step, conditional_key)):
        return None
    return OutcomeDef(
        response=_response(fields[response], _join(path, response), scope.slot_names)
        if response in fields
        else None,
        step=step(fields[next_step], _join(path, next_step), scope) if next_step in fields else None,
        conditional=(
            conditional(fields[conditional_key], _join(path, conditional_key), scope)
            if conditional_key in fields
            else None
        ),
    )


def prefixed_outcome(fields: dict[str, Any], path: str, scope: Scope, prefix: str) -> OutcomeDef | None:
    """``{prefix}Response`` / ``{prefix}NextStep`` / ``{prefix}Conditional``."""
    return outcome(
        fields,
        path,
        scope,
        response=f"{prefix}Response",
        next_step=f"{prefix}NextStep",
        conditional_key=f"{prefix}Conditional",
    )


_POST_KEYS = tuple(
    f"{kind}{part}"
    for kind in ("Success", "Failure", "Timeout")
    for part in ("Response", "NextStep", "Conditional")
)


def code_hook(raw: Any, path: str, scope: Scope) -> CodeHookDef:
    """A ``DialogCodeHookInvocationSetting`` with its ``PostCodeHookSpecification``."""
    fields = _object(
        raw,
        path,
        supported=("EnableCodeHookInvocation", "IsActive", "InvocationLabel", "PostCodeHookSpecification"),
        required=("EnableCodeHookInvocation", "IsActive", "PostCodeHookSpecification"),
    )
    post_path = _join(path, "PostCodeHookSpecification")
    post = _object(fields["PostCodeHookSpecification"], post_path, supported=_POST_KEYS)
    return CodeHookDef(
        enabled=_bool(fields["EnableCodeHookInvocation"], _join(path, "EnableCodeHookInvocation")),
        active=_bool(fields["IsActive"], _join(path, "IsActive")),
        label=(
            _str(fields["InvocationLabel"], _join(path, "InvocationLabel"), max_len=100)
            if "InvocationLabel" in fields
            else None
        ),
        success=prefixed_outcome(post, post_path, scope, "Success") or OutcomeDef(),
        failure=prefixed_outcome(post, post_path, scope, "Failure"),
        timeout=prefixed_outcome(post, post_path, scope, "Timeout"),
    )


def elicitation_hook(raw: Any, path: str) -> ElicitationHookDef:
    fields = _object(
        raw,
        path,
        supported=("EnableCodeHookInvocation", "InvocationLabel"),
        required=("EnableCodeHookInvocation",),
    )
    return ElicitationHookDef(
        enabled=_bool(fields["EnableCodeHookInvocation"], _join(path, "EnableCodeHookInvocation")),
        label=(
            _str(fields["InvocationLabel"], _join(path, "InvocationLabel"), max_len=100)
            if "InvocationLabel" in fields
            else None
        ),
    )


def initial_response(raw: Any, path: str, scope: Scope) -> InitialResponseDef:
    fields = _object(raw, path, supported=("InitialResponse", "NextStep", "Conditional", "CodeHook"))
    return InitialResponseDef(
        outcome=outcome(
            fields,
            path,
            scope,
            response="InitialResponse",
            next_step="NextStep",
            conditional_key="Conditional",
        )
        or OutcomeDef(),
        code_hook=code_hook(fields["CodeHook"], _join(path, "CodeHook"), scope)
        if "CodeHook" in fields
        else None,
    )


def default_values(raw: Any, path: str) -> tuple[str, ...]:
    """``DefaultValueSpecification``: ``#context.slot``, ``[sessionAttribute]`` or a literal, in order."""
    fields = _object(raw, path, supported=("DefaultValueList",), required=("DefaultValueList",))
    values: list[str] = []
    for index, item in enumerate(
        _list(fields["DefaultValueList"], _join(path, "DefaultValueList"), max_items=10)
    ):
        item_path = f"{path}.DefaultValueList[{index}]"
        entry = _object(item, item_path, supported=("DefaultValue",), required=("DefaultValue",))
        values.append(_str(entry["DefaultValue"], _join(item_path, "DefaultValue"), max_len=202))
    return tuple(values)


def input_contexts(raw: Any, path: str) -> tuple[str, ...]:
    names: list[str] = []
    for index, item in enumerate(_list(raw, path, max_items=5)):
        item_path = f"{path}[{index}]"
        fields = _object(item, item_path, supported=("Name",), required=("Name",))
        names.append(_name(fields["Name"], _join(item_path, "Name")))
    return tuple(names)


def output_contexts(raw: Any, path: str) -> tuple[OutputContextDef, ...]:
    contexts: list[OutputContextDef] = []
    for index, item in enumerate(_list(raw, path, max_items=10)):
        item_path = f"{path}[{index}]"
        fields = _object(
            item,
            item_path,
            supported=("Name", "TimeToLiveInSeconds", "TurnsToLive"),
            required=("Name", "TimeToLiveInSeconds", "TurnsToLive"),
        )
        contexts.append(
            OutputContextDef(
                name=_name(fields["Name"], _join(item_path, "Name")),
                ttl_seconds=_int(
                    fields["TimeToLiveInSeconds"], _join(item_path, "TimeToLiveInSeconds"), low=5, high=86400
                ),
                turns=_int(fields["TurnsToLive"], _join(item_path, "TurnsToLive"), low=1, high=20),
            )
        )
    return tuple(contexts)
