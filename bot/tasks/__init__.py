"""Tasks: what coordinators publish (bot.tasks.service, bot.tasks.drafts) and how
volunteers get and take them (bot.tasks.offers, bot.tasks.signups)."""
