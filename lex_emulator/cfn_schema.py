"""Check a bot definition against the real ``AWS::Lex::Bot`` resource schema, the one cfn-lint ships.

A bot definition is the Properties of CloudFormation's ``AWS::Lex::Bot``. `validate_bot_definition`
checks it the way CloudFormation does and returns a normalised deep copy: where the schema says
integer, number or boolean, CloudFormation also takes the value written as a string (``"300"``,
``"0.4"``, ``"true"``) and coerces it, and where it says string it takes a number or boolean; the
copy holds the converted values, so whoever reads it sees clean types. Then it applies the rules
Lex checks when it builds a locale that no JSON schema can say (`cdk_chatbot.bot_limits`).

The emulator's loader, the CDK app and the infra tests all call this one function, so they cannot
disagree on what a valid definition is. The properties the deployment supplies (``Name``,
``RoleArn``, ``DataPrivacy``) are required by the schema but optional in a definition file.

The schema is read from cfn-lint's package data without importing cfnlint (its ``__init__`` pulls in
the whole linter, ~0.6 s); the validator is built once. Errors are `BotDefinitionError` naming the
field the way the loader does (``BotLocales[0].Intents[1].SlotPriorities[0].Priority``) with a
CloudFormation-like reason; only the most relevant error is reported (jsonschema's ``best_match``).
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from importlib.resources.abc import Traversable
from typing import Any, cast

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError, best_match

from cdk_chatbot.bot_limits import lex_build_problems

from .errors import BotDefinitionError

RESOURCE_TYPE = "AWS::Lex::Bot"
# Every region that has AWS::Lex::Bot ships the same schema; this one names the file to read.
SCHEMA_REGION = "us-east-1"
# Required by the resource schema, but supplied by the deployment (the CDK stack), not the file.
DEPLOYMENT_PROPERTIES = ("Name", "RoleArn", "DataPrivacy")
# What CloudFormation takes for a Boolean written as a string (cfn-lint accepts the same spellings).
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INTEGER_TEXT = re.compile(r"^[+-]?[0-9]+$")
_NUMBER_TEXT = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$")
_SIZE_UNITS = {
    "minLength": "character(s)",
    "maxLength": "characters",
    "minItems": "item(s)",
    "maxItems": "items",
    "minProperties": "entry(ies)",
    "maxProperties": "entries",
}
_TYPE_NAMES = {
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "string": "a string",
    "object": "a JSON object",
    "array": "a JSON array",
}


def validate_bot_definition(raw: Any) -> dict[str, Any]:
    """Check `raw` as CloudFormation checks ``AWS::Lex::Bot`` Properties; return a normalised copy."""
    if not isinstance(raw, dict):
        raise BotDefinitionError("", "the bot definition must be a JSON object (AWS::Lex::Bot Properties)")
    if raw.get("Type") == RESOURCE_TYPE and isinstance(raw.get("Properties"), dict):
        raise BotDefinitionError(
            "Type", f"this is a whole {RESOURCE_TYPE} resource: the file holds only its Properties"
        )
    schema = _resource_schema()
    for name in schema.get("readOnlyProperties", ()):
        key = name.rsplit("/", 1)[-1]
        if key in raw:
            raise BotDefinitionError(key, "is read-only: CloudFormation returns it, a template cannot set it")
    definitions: Mapping[str, Any] = schema["definitions"]
    normalised = cast(dict[str, Any], _coerce(raw, schema, definitions))
    error = best_match(_validator().iter_errors(normalised))
    if error is not None:
        path, reason = _describe(error)
        raise BotDefinitionError(path, reason)
    problems = lex_build_problems(normalised)
    if problems:
        raise BotDefinitionError(*problems[0])
    return normalised


# -- the schema -------------------------------------------------------------------------------------


def _schemas_root() -> Traversable:
    """cfn-lint's ``data/schemas`` folder, found through the package's resource reader, not imported."""
    spec = importlib.util.find_spec("cfnlint")
    if spec is None or spec.loader is None:
        raise RuntimeError("cfn-lint is not installed: pip install -r requirements.txt")
    get_reader = getattr(spec.loader, "get_resource_reader", None)
    reader = get_reader(spec.name) if get_reader is not None else None
    if reader is None:  # an unusual loader: fall back to importing the package
        from importlib.resources import files

        return files("cfnlint") / "data" / "schemas"
    return cast(Traversable, reader.files()) / "data" / "schemas"


@lru_cache(maxsize=1)
def _resource_schema() -> dict[str, Any]:
    root = _schemas_root()
    providers = json.loads((root / "providers" / f"{SCHEMA_REGION}.json").read_text(encoding="utf-8"))
    schema: dict[str, Any] = json.loads(
        (root / "resources" / f"{providers[RESOURCE_TYPE]}.json").read_text(encoding="utf-8")
    )
    if schema.get("typeName") != RESOURCE_TYPE:
        raise RuntimeError(f"cfn-lint's schema for {RESOURCE_TYPE} names {schema.get('typeName')!r}")
    schema["required"] = [name for name in schema.get("required", []) if name not in DEPLOYMENT_PROPERTIES]
    return schema


@lru_cache(maxsize=1)
def _validator() -> Draft7Validator:
    schema = _resource_schema()
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def schema_definitions() -> Mapping[str, Any]:
    """The resource schema's ``definitions`` (read-only; `console_export` converts along them)."""
    return cast(Mapping[str, Any], _resource_schema()["definitions"])


def resource_schema() -> Mapping[str, Any]:
    """The ``AWS::Lex::Bot`` resource schema as validated here (deployment properties optional)."""
    return _resource_schema()


def resolve(schema: Mapping[str, Any] | None, definitions: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow ``$ref`` (``#/definitions/Name``) until a schema with content; ``{}`` for none."""
    seen = 0
    while schema is not None and "$ref" in schema and seen < 32:
        schema = definitions.get(str(schema["$ref"]).rsplit("/", 1)[-1])
        seen += 1
    return schema or {}


def property_schema(schema: Mapping[str, Any], key: str) -> Mapping[str, Any] | None:
    """The subschema for `key` in an object schema: properties, then patternProperties, then additional."""
    properties = schema.get("properties", {})
    if key in properties:
        return cast(Mapping[str, Any], properties[key])
    for pattern, sub in schema.get("patternProperties", {}).items():
        if re.search(pattern, key):
            return cast(Mapping[str, Any], sub)
    additional = schema.get("additionalProperties")
    return cast(Mapping[str, Any], additional) if isinstance(additional, dict) else None


# -- CloudFormation's coercion of scalars ------------------------------------------------------------


def _coerce(value: Any, schema: Mapping[str, Any] | None, definitions: Mapping[str, Any]) -> Any:
    """A copy of `value` with scalars converted where the schema's type says what CloudFormation makes."""
    resolved = resolve(schema, definitions)
    kind = resolved.get("type")
    if isinstance(value, dict):
        return {
            key: _coerce(item, property_schema(resolved, key), definitions) for key, item in value.items()
        }
    if isinstance(value, list):
        items = resolved.get("items")
        return [_coerce(item, items if isinstance(items, dict) else None, definitions) for item in value]
    if isinstance(kind, str):
        return _coerce_scalar(value, kind)
    return value


def _coerce_scalar(value: Any, kind: str) -> Any:
    if kind == "boolean" and isinstance(value, str):
        return True if value in _TRUE else False if value in _FALSE else value
    if kind == "integer":
        if isinstance(value, str) and _INTEGER_TEXT.match(value):
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
    if kind == "number" and isinstance(value, str) and _NUMBER_TEXT.match(value):
        number = float(value)
        if math.isfinite(number):
            return int(value) if _INTEGER_TEXT.match(value) else number
    if kind == "string" and not isinstance(value, str) and value is not None:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
    return value


# -- errors in the loader's words ----------------------------------------------------------------------


def field_path(parts: Iterable[str | int]) -> str:
    """``("BotLocales", 0, "LocaleId")`` as ``BotLocales[0].LocaleId``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text = f"{text}.{part}" if text else str(part)
    return text


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _range(low: Any, high: Any, unit: str = "") -> str:
    if low is not None and high is not None:
        return f"between {low} and {high}{unit}"
    return f"at least {low}{unit}" if low is not None else f"at most {high}{unit}"


def _duplicate(path: str, items: Sequence[Any]) -> tuple[str, str]:
    """Name the second of two equal items, by its LocaleId or Name when it has one."""
    index = next(i for i, item in enumerate(items) if item in items[:i])
    item = items[index]
    for key in ("LocaleId", "Name"):
        if isinstance(item, dict) and key in item:
            return f"{path}[{index}].{key}", f"{item[key]} appears twice (CloudFormation wants unique items)"
    return f"{path}[{index}]", f"is item [{items.index(item)}] again (CloudFormation wants the items unique)"


def _describe(error: ValidationError) -> tuple[str, str]:
    path = field_path(error.absolute_path)
    keyword, schema = error.validator, cast(Mapping[str, Any], error.schema)
    instance, expected = cast(Any, error.instance), cast(Any, error.validator_value)
    if keyword == "required":
        missing = [name for name in expected if name not in instance]
        return _join(path, missing[0] if missing else "?"), "is required"
    if keyword == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extra = next(key for key in instance if property_schema(schema, key) is None)
        reason = "is not a property CloudFormation's AWS::Lex::Bot allows here; allowed: " + (
            ", ".join(allowed) or "none"
        )
        near = [name for name in allowed if name.lower() == str(extra).lower()]
        if near:
            reason += f" (CloudFormation spells it {near[0]})"
        return _join(path, str(extra)), reason
    if keyword == "enum":
        allowed_values = [str(item) for item in expected]
        reason = f"{instance!r} is not allowed; allowed: {', '.join(allowed_values)}"
        snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", str(instance)).upper()
        if snake in allowed_values and snake != instance:
            spelling = f"{instance} is the Lex models API's spelling"
            reason += f" ({spelling}; AWS::Lex::Bot (CloudFormation) spells it {snake})"
        return path, reason
    if keyword == "type":
        kinds = expected if isinstance(expected, list) else [expected]
        wanted = " or ".join(_TYPE_NAMES.get(str(kind), str(kind)) for kind in kinds)
        return path, f"must be {wanted}, got {json.dumps(instance, ensure_ascii=False)[:80]}"
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return path, f"must be {_range(schema.get('minimum'), schema.get('maximum'))}, got {instance}"
    if keyword in _SIZE_UNITS:  # the bound that was crossed, as CloudFormation states it
        bound = "at least" if keyword.startswith("min") else "at most"
        return path, f"must have {bound} {expected} {_SIZE_UNITS[keyword]}, has {len(instance)}"
    if keyword == "pattern":
        return path, f"{instance!r} does not match the pattern {expected}"
    if keyword == "uniqueItems":
        return _duplicate(path, instance)
    if keyword == "oneOf":
        choices = [name for branch in expected for name in branch.get("required", [])]
        if choices:
            return path, "needs exactly one of " + ", ".join(choices)
    return path, error.message
