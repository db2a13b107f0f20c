"""/profile: the card (card.py), editing a field (edit.py), pausing (pause.py) and
erasing one's data (delete.py)."""
