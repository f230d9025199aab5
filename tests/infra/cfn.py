"""Small readers for a synthesized CloudFormation template (a plain dict), used by the infra tests."""

from __future__ import annotations

import json
import re
from typing import Any

Template = dict[str, Any]


def resources(template: Template, type_: str) -> dict[str, dict[str, Any]]:
    """Every resource of one type, by logical id."""
    return {k: v for k, v in template["Resources"].items() if v["Type"] == type_}


def only(template: Template, type_: str) -> tuple[str, dict[str, Any]]:
    """The single resource of a type (fails if there are none or several)."""
    found = resources(template, type_)
    assert len(found) == 1, f"expected one {type_}, found {sorted(found)}"
    return next(iter(found.items()))


def props(resource: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = resource.get("Properties", {})
    return found


def render(value: Any) -> str:
    """Intrinsics as readable text: Ref X -> ${X}, GetAtt X.Y -> ${X.Y}, Join -> concatenation."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        (fn, arg), *_ = value.items()
        if fn == "Ref":
            return "${" + str(arg) + "}"
        if fn == "Fn::GetAtt":
            return "${" + ".".join(arg) + "}"
        if fn == "Fn::Join":
            separator, parts = arg
            return str(separator).join(render(part) for part in parts)
        if fn == "Fn::Sub" and isinstance(arg, str):
            return str(arg)
    return repr(value)


def role_statements(template: Template, role_id: str) -> list[dict[str, Any]]:
    """Every statement of every inline policy attached to a role."""
    statements = []
    for policy in resources(template, "AWS::IAM::Policy").values():
        if {"Ref": role_id} in props(policy)["Roles"]:
            statements.extend(props(policy)["PolicyDocument"]["Statement"])
    for inline in props(template["Resources"][role_id]).get("Policies", []):
        statements.extend(inline["PolicyDocument"]["Statement"])
    return statements


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def function_by_handler(template: Template, handler: str) -> tuple[str, dict[str, Any]]:
    found = {
        k: v
        for k, v in resources(template, "AWS::Lambda::Function").items()
        if props(v).get("Handler") == handler
    }
    assert len(found) == 1, f"expected one function with handler {handler}, found {sorted(found)}"
    return next(iter(found.items()))


def role_of(function: dict[str, Any]) -> str:
    """The logical id of a function's role (Role is GetAtt <role>.Arn)."""
    role = props(function)["Role"]
    assert "Fn::GetAtt" in role, role
    return str(role["Fn::GetAtt"][0])


def dynamically_referenced_secrets(template: Template) -> set[str]:
    """Logical ids of the secrets whose value the template resolves (`{{resolve:secretsmanager:...}}`)."""
    text = json.dumps(template)
    return set(re.findall(r'"\{\{resolve:secretsmanager:", \{"Ref": "([A-Za-z0-9]+)"\}', text))


def llm_key_secret(template: Template) -> tuple[str, dict[str, Any]]:
    """The LLM API key's secret: the one secret whose value the template never resolves (the other,
    the origin-verify header value, is resolved into CloudFront and the web ACL)."""
    resolved = dynamically_referenced_secrets(template)
    found = {k: v for k, v in resources(template, "AWS::SecretsManager::Secret").items() if k not in resolved}
    assert len(found) == 1, f"expected one LLM key secret, found {sorted(found)}"
    return next(iter(found.items()))


def table_with_keys(template: Template, *keys: str) -> tuple[str, dict[str, Any]]:
    """The one DynamoDB table whose key schema is exactly `keys` (partition key first): the token
    budgets' table has `pk`, the answers' table `pk` and `sk`."""
    found = {
        k: v
        for k, v in resources(template, "AWS::DynamoDB::Table").items()
        if [key["AttributeName"] for key in props(v)["KeySchema"]] == list(keys)
    }
    assert len(found) == 1, f"expected one table keyed {keys}, found {sorted(found)}"
    return next(iter(found.items()))
