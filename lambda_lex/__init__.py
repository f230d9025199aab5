"""`POST /chat`: relays one user turn from API Gateway to the Lex V2 bot and shapes the answer.

`handler.handler` is the Lambda entry point (API Gateway REST proxy integration; locally the dev
server builds the same event). The rest of the package is plain Python that knows nothing of Lambda.
"""
