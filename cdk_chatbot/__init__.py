"""Infrastructure of the Lex + LLM chatbot: a CDK stack composed of small constructs.

Nothing here imports a Lambda handler; the Lambda folders are shipped as assets.
"""
