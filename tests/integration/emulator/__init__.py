"""The Lex V2 emulator over real HTTP, driven by unmodified boto3."""
