"""The registered sections, in the order they are shown. Importing this package
registers them; a new section is a module here, imported below."""

from bot.stats.sections import broadcasts, tasks, volunteers

__all__ = ["broadcasts", "tasks", "volunteers"]
