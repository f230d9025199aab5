"""Local mode: the whole chatbot in one process, with no AWS account.

`python -m devserver` serves the page from ``html/`` and answers ``POST /chat`` by calling
``lambda_lex``'s handler unchanged, its boto3 pointed at an in-process Lex V2 runtime emulator whose
FallbackIntent hook is ``lambda_chatgpt``'s handler. Streamed LLM answers work in-process too: an
embedded answer store, the answer worker in a thread, ``lambda_answers``' handler for stop,
regenerate and the kept conversation, and ``GET /chat/answers/{id}`` as one real Server-Sent Events
response (Starlette + sse-starlette on uvicorn). `python -m devserver.client` talks to that
``/chat`` (or a deployed one) from a terminal.
"""
