"""Volunteers: registration, profile changes, pausing, erasure (service.py), and whether
Telegram can still reach them (reachability.py)."""
