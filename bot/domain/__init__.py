"""The rules with no I/O, written once: statuses as enums and what each allows (tasks.py:
a task's life; signups.py; volunteers.py: "active", a lapsed pause included;
delivery.py; subjects.py: what a broadcast is about), who may get a task
(eligibility.py), quiet hours, people (names, phones, ages), the catalogs of regions,
directions and skills, and reading typed names (vocabulary.py, names/). Nothing here
imports the rest of the project, aiogram, SQL or the network
(tests/unit/test_architecture.py checks it)."""
