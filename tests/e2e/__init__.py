"""Tests over HTTP against the Bot API emulator: the real application as `birge run`
starts it, and the delivery engine and the emulator themselves."""
