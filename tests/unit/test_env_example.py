"""`.env.example` lists every setting, so the template never falls behind the code."""

from __future__ import annotations

import re
from pathlib import Path

from bot.config import Settings

EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"


def test_env_example_names_every_setting() -> None:
    named = set(re.findall(r"^#?\s*([A-Z_]+)=", EXAMPLE.read_text(encoding="utf-8"), flags=re.MULTILINE))
    assert named == {name.upper() for name in Settings.model_fields}


def test_every_setting_is_in_the_readme() -> None:
    readme = (EXAMPLE.parent / "README.md").read_text(encoding="utf-8")
    missing = [name.upper() for name in Settings.model_fields if f"`{name.upper()}`" not in readme]
    assert missing == []
