"""A local emulator of the Amazon Lex V2 runtime that boto3 cannot tell from Lex.

It serves RecognizeText, GetSession, PutSession and DeleteSession on the real rest-json wire,
runs the dialog a bot definition in CloudFormation's ``AWS::Lex::Bot`` shape describes, and calls
the fulfillment code hook in-process like Lambda would. See `emulator` for the embedding API and
``python -m lex_emulator --help`` for the command line.
"""

from .emulator import BotDeployment, LexEmulator, RunningEmulator
from .errors import BotDefinitionError, DeploymentError, LexError

__all__ = [
    "BotDefinitionError",
    "BotDeployment",
    "DeploymentError",
    "LexEmulator",
    "LexError",
    "RunningEmulator",
]
