"""Safe static file serving from one folder: URL path to file, content type, security headers.

Only regular files inside the site folder are ever served: ``..``, encoded slashes or NULs,
symlinks leading out, hidden files and directories all resolve to "not found". The security
headers are the ones CloudFront adds in AWS (see ``cdk_chatbot/web.py``), so the page meets the same
Content Security Policy locally as deployed.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

DEFAULT_DOCUMENT = "chat.html"

# Kept equal to cdk_chatbot.web.CONTENT_SECURITY_POLICY (a test compares them).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
)

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".webmanifest": "application/manifest+json",
}
FALLBACK_CONTENT_TYPE = "application/octet-stream"


def content_type(path: Path) -> str:
    """The Content-Type to send for a file, by extension."""
    return CONTENT_TYPES.get(path.suffix.lower(), FALLBACK_CONTENT_TYPE)


def resolve(site_dir: Path, url_path: str) -> Path | None:
    """The file to serve for a URL path (without its query), or None when there is none to serve.

    ``site_dir`` must already be resolved (absolute, symlinks followed).
    """
    if not url_path.startswith("/"):
        return None
    try:
        decoded = unquote(url_path, errors="strict") if "%" in url_path else url_path
    except UnicodeDecodeError:
        return None
    if "\x00" in decoded or "\\" in decoded:
        return None
    # Like S3 keys: "/a/" or "//a" name no file here (only "/" has a default document).
    parts = decoded[1:].split("/") if decoded != "/" else []
    if any(not part or part.startswith(".") for part in parts):
        return None
    # Like CloudFront's default root object: only "/" has a default document, no other folder does.
    candidate = site_dir.joinpath(*parts) if parts else site_dir / DEFAULT_DOCUMENT
    try:
        real = candidate.resolve(strict=True)
    except (OSError, ValueError, RuntimeError):
        return None
    if not real.is_relative_to(site_dir) or not real.is_file():
        return None
    return real
