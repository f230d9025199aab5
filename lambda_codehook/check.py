"""`python -m lambda_codehook.check BOT_FILE [HANDLERS_DIR]`: check that the handlers fit the bot.

Used by the stack at synth (in a child process, so the CDK app never imports user code) and by the
dev server at start. Exit 0 when they fit (or there is no handlers folder), 1 with the problems
on stderr. The default handlers folder is `handlers/` beside the bot file.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from .bot_model import BotModel, BotModelError
from .discovery import HandlerError, discover


def handlers_beside(bot_file: Path) -> Path:
    """The conventional handlers folder of a bot file: `handlers/` in the same folder."""
    return bot_file.parent / "handlers"


def check(bot_file: Path, handlers_dir: Path | None = None) -> list[str]:
    """Intent names that have handlers; raises BotModelError or HandlerError."""
    bot = BotModel.from_file(bot_file)
    return sorted(discover(handlers_dir if handlers_dir is not None else handlers_beside(bot_file), bot))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not 1 <= len(args) <= 2:
        print("usage: python -m lambda_codehook.check BOT_FILE [HANDLERS_DIR]", file=sys.stderr)
        return 2
    try:
        intents = check(Path(args[0]), Path(args[1]) if len(args) == 2 else None)
    except (BotModelError, HandlerError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"intent handlers: {', '.join(intents) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
