"""The field mechanism every dialog uses: a field's question, keyboard and input rules
(specs.py), reading what people type (answers.py), and the volunteer's fields
(volunteer.py; a task's are in handlers/coordinator/task_fields.py)."""
