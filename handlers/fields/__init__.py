"""The field mechanism every dialog uses: a field's question, keyboard and input rules
(specs.py), reading what people type (answers.py)."""
