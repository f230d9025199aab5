"""The Lex FallbackIntent fulfillment code hook: answers what the bot did not understand with an LLM.

`handler.handler` is the Lambda entry point. The turn itself (`fallback.answer_turn`) is plain Python:
conversation memory, the prompt, the provider call under one deadline, and the split of the answer
into Lex messages. Providers (OpenAI-compatible chat completions, Amazon Bedrock Converse) sit behind
the small `llm.LlmProvider` protocol.
"""
