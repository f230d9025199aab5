"""Property tests (hypothesis) against the /chat handler and the emulator's wire endpoint."""
