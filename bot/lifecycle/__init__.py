"""The task's life after sign-up: states moved by time (states.py), reminders to
volunteers and their answers (reminders.py), the coordinator's 6-hours-before list and
morning digest (coordinator.py), one scheduler pass over all of it (job.py), and the
hook other features use when a task starts or ends (hooks.py). Times and rules:
bot/domain/reminders.py and bot/domain/tasks.py. Rows: storage/models/lifecycle.py."""
