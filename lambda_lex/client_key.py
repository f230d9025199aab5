"""Who is calling: a pseudonymous key for the caller's IP address, for the code hook's budgets.

Deployed, requests reach the API only through CloudFront (the web ACL refuses any request without
the distribution's secret origin header), and CloudFront's viewer-request function writes the
viewer's address into `x-chatbot-viewer-ip`, replacing any such header the client sent. API
Gateway's `sourceIp` would be a CloudFront edge address, and X-Forwarded-For's first entry is
whatever the client wrote. Locally the dev server sets the same header from the socket's address.

The key is an HMAC-SHA256 of the address under `CLIENT_KEY_SALT` (the stack sets a per-stack value),
cut to 128 bits: it goes to the code hook as the request attribute `x-chatbot-client` and may be
logged; the address itself is never logged or sent on.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Mapping
from typing import Any

from apigw_proxy import header

VIEWER_IP_HEADER = "x-chatbot-viewer-ip"
CLIENT_ATTRIBUTE = "x-chatbot-client"
SALT_VARIABLE = "CLIENT_KEY_SALT"
_KEY_HEX_CHARS = 32


def client_ip(event: Mapping[str, Any]) -> str | None:
    """The caller's address: the viewer-ip header, else API Gateway's sourceIp; None when neither
    is a valid IP address."""
    candidates = [header(event, VIEWER_IP_HEADER)]
    context = event.get("requestContext")
    identity = context.get("identity") if isinstance(context, Mapping) else None
    if isinstance(identity, Mapping):
        candidates.append(identity.get("sourceIp"))
    for candidate in candidates:
        if isinstance(candidate, str):
            try:
                return str(ipaddress.ip_address(candidate.strip()))
            except ValueError:
                continue
    return None


def client_key(event: Mapping[str, Any], salt: str) -> str | None:
    """The caller's pseudonymous key (32 hex digits), or None when the address is unknown."""
    address = client_ip(event)
    if address is None:
        return None
    digest = hmac.new(salt.encode("utf-8"), address.encode("ascii"), hashlib.sha256).hexdigest()
    return digest[:_KEY_HEX_CHARS]
