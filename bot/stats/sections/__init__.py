"""The registered sections, in the order they are shown. Importing this package
registers them; a new section is a module here, imported below."""

from bot.stats.sections import attendance, broadcasts, callouts, reconnection, tasks, volunteers

__all__ = ["attendance", "broadcasts", "callouts", "reconnection", "tasks", "volunteers"]
