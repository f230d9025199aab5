"""Local mode: the whole chatbot in one process, with no AWS account.

`python -m devserver` serves the page from ``html/`` and answers ``POST /chat`` by calling
``lambda_lex``'s handler unchanged, its boto3 pointed at an in-process Lex V2 runtime emulator whose
FallbackIntent hook is ``lambda_chatgpt``'s handler. `python -m devserver.client` talks to that
``/chat`` (or a deployed one) from a terminal.
"""
