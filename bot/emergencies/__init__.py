"""Emergencies: declared by an admin or a coordinator of the affected regions, active
until closed (service.py). Rules in bot/domain/emergencies.py."""
