"""The Lex FallbackIntent fulfillment code hook: answers what the bot did not understand with an LLM.

`handler.handler` is the Lambda entry point. The turn itself (`fallback.answer_turn`) is plain Python:
conversation memory, the prompt, the provider call under one deadline, and the split of the answer
into Lex messages. Providers (OpenAI-compatible chat completions, Amazon Bedrock Converse) sit behind
the small `llm.LlmProvider` protocol.

Streamed answers (issue 11): when `/chat` asks for a stream and an answer store is configured, the
code hook only starts the answer (`streamed.start_answer`) and the worker Lambda, `worker.handler`
(same asset; `answer_writer.write_answer` is its core), writes it into the store after the turn.
`worker_invoke` starts that worker (asynchronous invoke in AWS, a thread locally).
"""
