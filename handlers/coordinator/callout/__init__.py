"""/callout: the dialog and the quick form (dialog.py, router.py), and the coordinator's
live board with its buttons (board.py)."""
