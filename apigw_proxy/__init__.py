"""The API Gateway REST proxy integration's edge, shared by the Lambdas behind it.

`/chat` (`lambda_lex`) and the streamed answers' routes (`lambda_answers`) read their events and
write their responses the same way: `events` reads a proxy event (its request id, headers, query
parameters) and the Lambda context's time left, `responses` writes the JSON responses and the
`{"error": {"code", "message", ...}}` shape, and `logs` what their log lines share (the request id
as correlation id, the latency field). Standard library only;
both assets carry it (cdk_chatbot/imports.py follows the imports).
"""

from .events import as_event, header, query, request_id, time_left
from .logs import latency_fields, start_request
from .responses import JSON_HEADERS, error_response, json_response

__all__ = [
    "JSON_HEADERS",
    "as_event",
    "error_response",
    "header",
    "json_response",
    "latency_fields",
    "query",
    "request_id",
    "start_request",
    "time_left",
]
