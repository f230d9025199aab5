"""The dev server serves html/ safely, with the headers CloudFront adds, and routes by path and method."""

from __future__ import annotations

import ast
import json
import re
import socket
from pathlib import Path

import pytest
import requests

from devserver.process import DevServerProcess
from devserver.static_files import CONTENT_SECURITY_POLICY

REPO = Path(__file__).resolve().parents[3]

EXPECTED_SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def raw_request(server: DevServerProcess, request: bytes) -> bytes:
    """Send bytes exactly as given (no client-side path normalisation) and read the whole answer."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(request)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])


def test_csp_is_the_one_cloudfront_sends() -> None:
    tree = ast.parse((REPO / "cdk_chatbot" / "web.py").read_text(encoding="utf-8"))
    values = [
        ast.literal_eval(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "CONTENT_SECURITY_POLICY" for t in node.targets)
    ]
    assert values == [CONTENT_SECURITY_POLICY]


@pytest.mark.parametrize(
    ("path", "content_type", "marker"),
    [
        ("/", "text/html; charset=utf-8", b'<script type="module" src="chat.js">'),
        ("/chat.html", "text/html; charset=utf-8", b'<script type="module" src="chat.js">'),
        ("/chat.js", "text/javascript; charset=utf-8", b"import"),
        ("/markdown.js", "text/javascript; charset=utf-8", b"export function renderMarkdown"),
        ("/chat.css", "text/css; charset=utf-8", b"prefers-color-scheme"),
        ("/config.json", "application/json", b"defaultLocale"),
        ("/favicon.svg", "image/svg+xml", b"<svg"),
    ],
)
def test_page_files_are_served_with_type_and_security_headers(
    server: DevServerProcess, http: requests.Session, path: str, content_type: str, marker: bytes
) -> None:
    response = http.get(server.url + path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert marker in response.content
    for name, value in EXPECTED_SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


# A static import or re-export of one of the page's own modules: `import {...} from "./x.js";`
# (across lines too), `import "./x.js";`, `export {...} from "./x.js";`.
PAGE_IMPORT = re.compile(r'^(?:import|export)\b[^;"]*?(?:\bfrom\s*)?"\./([^"]+)"\s*;', re.MULTILINE)


def page_modules() -> list[str]:
    """Every module chat.js loads, directly or through another module (names in html/)."""
    found: list[str] = []
    todo = ["chat.js"]
    while todo:
        name = todo.pop()
        if name not in found:
            found.append(name)
            todo += PAGE_IMPORT.findall((REPO / "html" / name).read_text(encoding="utf-8"))
    return sorted(found)


def test_every_module_the_page_loads_is_served_as_javascript(
    server: DevServerProcess, http: requests.Session
) -> None:
    modules = page_modules()
    # The import scan sees the page's modules: chat.js's own parts, and what they import in turn.
    assert {"message_list.js", "composer.js", "chat_request.js", "markdown.js", "sse.js"} <= set(modules)
    for name in modules:
        response = http.get(f"{server.url}/{name}")
        assert response.status_code == 200, name
        assert response.headers["Content-Type"] == "text/javascript; charset=utf-8", name
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, name
        assert response.content == (REPO / "html" / name).read_bytes(), name


def test_page_has_no_inline_script_or_style_and_no_external_reference() -> None:
    html = (REPO / "html" / "chat.html").read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "<style" not in html
    assert " style=" not in html
    assert not re.search(r"\son[a-z]+\s*=", html)  # no onclick= and friends
    for file in (REPO / "html").iterdir():
        text = file.read_text(encoding="utf-8")
        assert not re.search(
            r"(inner|outer)HTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function", text
        ), file.name
        assert "//cdn" not in text, file.name
    config = json.loads((REPO / "html" / "config.json").read_text(encoding="utf-8"))
    assert config["defaultLocale"] in config["locales"]


def test_head_sends_headers_only(server: DevServerProcess, http: requests.Session) -> None:
    get = http.get(server.url + "/chat.css")
    head = http.head(server.url + "/chat.css")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["Content-Length"] == get.headers["Content-Length"]


def test_etag_revalidation_answers_304(server: DevServerProcess, http: requests.Session) -> None:
    first = http.get(server.url + "/chat.js")
    again = http.get(server.url + "/chat.js", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize(
    "target",
    [
        b"/../bot/bot.json",
        b"/%2e%2e/bot/bot.json",
        b"/..%2fbot/bot.json",
        b"/%2e%2e%2f%2e%2e%2fetc/passwd",
        b"/../../../../etc/passwd",
        b"/..\\bot/bot.json",
        b"/chat.html%00.js",
        b"/.gitignore",
        b"/%c0%ae%c0%ae/bot/bot.json",
        b"//etc/passwd",
    ],
)
def test_nothing_outside_the_site_is_served(server: DevServerProcess, target: bytes) -> None:
    response = raw_request(server, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status_of(response) == 404
    headers, _, body = response.partition(b"\r\n\r\n")
    assert b"application/json" in headers
    assert json.loads(body)["error"]["code"] == "not_found"


def test_unknown_path_is_json_404(server: DevServerProcess, http: requests.Session) -> None:
    response = http.get(server.url + "/nope.html")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_folders_have_no_listing_or_default_document(
    server: DevServerProcess, http: requests.Session
) -> None:
    assert http.get(server.url + "/chat.html/").status_code == 404


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_chat_allows_only_post(server: DevServerProcess, http: requests.Session, method: str) -> None:
    response = http.request(method, server.url + "/chat")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert response.json()["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_page_files_allow_only_get_and_head(
    server: DevServerProcess, http: requests.Session, method: str
) -> None:
    response = http.request(method, server.url + "/chat.html", data=b"{}")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_unknown_method_and_garbage_get_json_errors(server: DevServerProcess) -> None:
    unknown = raw_request(server, b"BREW /chat HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status_of(unknown) == 501
    assert json.loads(unknown.partition(b"\r\n\r\n")[2])["error"]["code"] == "not_implemented"
    garbage = raw_request(server, b"this is not http\r\n\r\n")
    assert status_of(garbage) == 400
    assert "error" in json.loads(garbage.partition(b"\r\n\r\n")[2])


def test_post_to_unknown_path_is_404(server: DevServerProcess, http: requests.Session) -> None:
    response = http.post(server.url + "/api/chat", json={"text": "hi"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
