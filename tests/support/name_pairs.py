"""The labelled table of name pairs (tests/data/name_pairs.csv): same person or not."""

from __future__ import annotations

import csv
from pathlib import Path

TABLE = Path(__file__).resolve().parents[1] / "data" / "name_pairs.csv"


def load_table() -> list[tuple[str, str, bool, str]]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return [(row["a"], row["b"], row["same"] == "1", row["case"]) for row in csv.DictReader(handle)]
