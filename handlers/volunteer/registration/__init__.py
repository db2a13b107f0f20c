"""Volunteer registration, one step at a time: steps.py (order, questions, FSM data),
router.py (the handlers of each step), finish.py (Confirm: registering)."""
