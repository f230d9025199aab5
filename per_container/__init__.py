"""What a Lambda container builds once and keeps for every later event: `Lazy`.

Every Lambda of the project builds its settings and clients on the first event, not at import (a
configuration error is then answered in the Lambda's own shape instead of failing the import), and
reuses them. Lambda sends a container one event at a time, but local mode (the dev server, the
emulator's code hooks) calls the same handlers from many threads, so the first calls must not each
build their own: `Lazy` builds once, under a lock. Standard library only; bundled into every
Lambda asset (cdk_chatbot/imports.py follows the imports; the code hook lists it in SHARED_PACKAGES).
"""

from .lazy import Lazy

__all__ = ["Lazy"]
