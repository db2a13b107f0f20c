"""The volunteer's screens: registration, /profile, task cards and their buttons, /tasks
and /my."""
