"""Reading streamed LLM answers (issue 11): `GET /chat/answers/{id}` as Server-Sent Events, Stop,
Regenerate, and a session's kept conversation.

`handler.handler` is the Lambda entry point (API Gateway REST proxy integration, answering each read
as a buffered long poll). `routes` and `reading` are plain Python over an `answer_store.AnswerStore`
that know nothing of Lambda; the dev server serves the same routes from them, streaming one long
response instead of long polls. `sse_format` writes the events' bytes. The protocol is described
for clients in docs/streaming-protocol.md.
"""
