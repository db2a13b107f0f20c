"""The coordinator's screens: /newtask (a task step by step, preview, confirm) and
/mytasks (the list, a task's card, roster, changes, messages, sending, cancelling).
Every update is checked by RequireRole(coordinator=True)."""
