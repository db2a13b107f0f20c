"""Volunteer registration, one step at a time (steps.py: order, questions; router.py:
the handlers of each step)."""
