"""CDK entry point (`cdk synth`, `cdk deploy`): the chatbot stack, checked by cdk-nag.

cdk.json's context is loaded here as the defaults, so `python app.py` builds what `cdk synth`
builds; the CLI's own context (cdk.json, `-c key=value`) still takes precedence.
Configuration errors (context, bot file, its page.json) are printed as one clear line, not a stack trace.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

# jsii prints an end-of-life banner for Node 20 in every process unless told not to.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from aws_cdk import App

from cdk_chatbot.app_factory import PROJECT_ROOT, add_chatbot
from cdk_chatbot.bot_definition import BotDefinitionError
from cdk_chatbot.config import ConfigError
from cdk_chatbot.packaging import BUNDLING_ERROR_PREFIX, BundlingError
from cdk_chatbot.page_config import PageConfigError


def cdk_json_context(path: Path = PROJECT_ROOT / "cdk.json") -> dict[str, Any]:
    context: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")).get("context", {})
    return context


def main() -> int:
    app = App(context=cdk_json_context())
    try:
        add_chatbot(app)
    except (ConfigError, BotDefinitionError, BundlingError, PageConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except RuntimeError as exc:  # an error inside a CDK callback (asset bundling) arrives wrapped
        if BUNDLING_ERROR_PREFIX not in str(exc):
            raise
        print(f"error: {str(exc)[str(exc).index(BUNDLING_ERROR_PREFIX) :]}", file=sys.stderr)
        return 1
    app.synth()
    return 0


if __name__ == "__main__":
    sys.exit(main())
