"""Intent handlers of the coffee shop bot: one module per intent (see lambda_codehook.discovery)."""
