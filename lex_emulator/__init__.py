"""A local emulator of the Amazon Lex V2 runtime that unmodified clients cannot tell from Lex.

It serves RecognizeText, RecognizeUtterance (text input), GetSession, PutSession and DeleteSession
on the real rest-json wire over HTTP/1.1 and HTTP/2 (boto3, the AWS CLI and the AWS SDK for
JavaScript are tested against it), runs the dialog a bot definition in CloudFormation's
``AWS::Lex::Bot`` shape describes (slots, confirmation, contexts, conditional branches, next steps,
intent switching), and calls the dialog and fulfillment code hooks in-process like Lambda would.
See `emulator` for the embedding API and ``python -m lex_emulator --help`` for the command line.
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
