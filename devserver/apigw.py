"""API Gateway (REST API, Lambda proxy integration) as far as `/chat` needs it: the event and context.

`proxy_event` builds the event API Gateway sends to a proxy integration (payload format 1.0), and
`LambdaContext` stands in for the Lambda runtime's context object, its remaining time counting down.
"""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

STAGE = "local"
API_ID = "localapi01"
ACCOUNT_ID = "000000000000"
FUNCTION_NAME = "chatbot-local-chat"
# The REST integration gives up after 29 s, so that is all the time the handler ever gets.
TIMEOUT_SECONDS = 29.0


def proxy_event(
    *,
    method: str,
    path: str,
    query: dict[str, list[str]],
    headers: Iterable[tuple[str, str]],
    body: bytes,
    source_ip: str,
    host: str,
) -> dict[str, Any]:
    """The event API Gateway sends for one request (resource == path: there are no path parameters)."""
    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for name, value in headers:
        single[name] = value
        multi.setdefault(name, []).append(value)
    now = datetime.now(UTC)
    request_id = str(uuid.uuid4())
    user_agent = next((v for k, v in single.items() if k.lower() == "user-agent"), None)
    if body:
        try:
            body_text: str | None = body.decode("utf-8")
            is_base64 = False
        except UnicodeDecodeError:
            body_text = base64.b64encode(body).decode("ascii")
            is_base64 = True
    else:
        body_text, is_base64 = None, False
    return {
        "resource": path,
        "path": path,
        "httpMethod": method,
        "headers": single,
        "multiValueHeaders": multi,
        "queryStringParameters": {k: v[-1] for k, v in query.items()} or None,
        "multiValueQueryStringParameters": dict(query) or None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "resourceId": "local0",
            "resourcePath": path,
            "httpMethod": method,
            "extendedRequestId": request_id,
            "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "path": f"/{STAGE}{path}",
            "accountId": ACCOUNT_ID,
            "protocol": "HTTP/1.1",
            "stage": STAGE,
            "domainPrefix": host.split(".", 1)[0],
            "requestTimeEpoch": int(now.timestamp() * 1000),
            "requestId": request_id,
            "identity": {
                "cognitoIdentityPoolId": None,
                "accountId": None,
                "cognitoIdentityId": None,
                "caller": None,
                "sourceIp": source_ip,
                "principalOrgId": None,
                "accessKey": None,
                "cognitoAuthenticationType": None,
                "cognitoAuthenticationProvider": None,
                "userArn": None,
                "userAgent": user_agent,
                "user": None,
            },
            "domainName": host,
            "apiId": API_ID,
        },
        "body": body_text,
        "isBase64Encoded": is_base64,
    }


class LambdaContext:
    """The attributes and method of the Lambda Python runtime's context that handlers use."""

    function_name = FUNCTION_NAME
    function_version = "$LATEST"
    invoked_function_arn = f"arn:aws:lambda:us-east-1:{ACCOUNT_ID}:function:{FUNCTION_NAME}"
    memory_limit_in_mb = 256
    log_group_name = f"/aws/lambda/{FUNCTION_NAME}"
    log_stream_name = "local"
    identity = None
    client_context = None

    def __init__(self, timeout_seconds: float = TIMEOUT_SECONDS) -> None:
        self.aws_request_id = str(uuid.uuid4())
        self._deadline = time.monotonic() + timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))
