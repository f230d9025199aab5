"""What every Lambda of the project sets up once per container: lazily built values, its logging.

Every Lambda builds its settings and clients on the first event, not at import (a configuration
error is then answered in the Lambda's own shape instead of failing the import), and reuses them.
Lambda sends a container one event at a time, but local mode (the dev server, the emulator's code
hooks) calls the same handlers from many threads, so the first calls must not each build their own:
`Lazy` builds once, under a lock. `safe_log_level` turns LOG_LEVEL into a level the logger takes at
import whatever it holds, and `quiet_botocore` keeps botocore's DEBUG output (request bodies: the
user's text, stored answers, the API key from Secrets Manager) out of the logs. Standard library
only; bundled into every Lambda asset (cdk_chatbot/imports.py follows the imports; the code hook
lists it in SHARED_PACKAGES).
"""

from .lazy import Lazy
from .logs import LOG_LEVELS, quiet_botocore, safe_log_level

__all__ = ["LOG_LEVELS", "Lazy", "quiet_botocore", "safe_log_level"]
