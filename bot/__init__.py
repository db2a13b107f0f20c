"""Birge: a Telegram bot that matches volunteers to tasks and coordinates them in a crisis.

The composition root (app.py, cli/) wires the features (access/, volunteers/, tasks/,
importer/) over the infrastructure (infra/) and the pure rules (domain/)."""

__version__ = "0.1.0"
