"""The people of a sandbox: who they are (name, Telegram app language, the role asked
for), kept in a small JSON file next to the sandbox database so a restart brings
everyone back (the chats themselves live in memory and start empty)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

LANGUAGES = ("kk", "ru", "en")
ROLES = ("volunteer", "coordinator", "admin")
MAX_NAME = 64
# Ids of people made on the page start here (demo people and drill volunteers use other ranges).
FIRST_PAGE_ID = 5_000_001


class BadRequest(ValueError):
    """A page request that cannot be served; the message says why, in plain words."""


@dataclass(slots=True)
class Person:
    id: int
    first_name: str
    last_name: str = ""
    language: str = ""  # the Telegram app's language: kk, ru, en or "" (none)
    role: str = "volunteer"
    region: str = ""  # a coordinator's region (ISO 3166-2:KZ)
    simulated: bool = False  # a drill volunteer, answered by the drill

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "name": self.name}

    @classmethod
    def from_request(cls, person_id: int, body: Any, regions: frozenset[str]) -> Person:
        """A new person from the page's form; BadRequest says what is wrong."""
        if not isinstance(body, dict):
            raise BadRequest("the body must be a JSON object such as "
                             '{"first_name": "Aigerim", "language": "kk", "role": "volunteer"}')
        first_name = body.get("first_name")
        last_name = body.get("last_name") or ""
        language = body.get("language") or ""
        role = body.get("role") or "volunteer"
        region = body.get("region") or ""
        if not isinstance(first_name, str) or not first_name.strip() or len(first_name) > MAX_NAME:
            raise BadRequest(f"first_name must be a non-empty text of at most {MAX_NAME} characters")
        if not isinstance(last_name, str) or len(last_name) > MAX_NAME:
            raise BadRequest(f"last_name must be a text of at most {MAX_NAME} characters")
        if language not in (*LANGUAGES, ""):
            raise BadRequest("language must be one of kk, ru, en or empty (no language)")
        if role not in ROLES:
            raise BadRequest("role must be one of " + ", ".join(ROLES))
        if not isinstance(region, str) or (role == "coordinator" and region not in regions):
            raise BadRequest("a coordinator needs a region: one of " + ", ".join(sorted(regions)))
        return cls(person_id, first_name.strip(), last_name.strip(), language, role,
                   region if role == "coordinator" else "")


class PeopleFile:
    """The JSON file of people (written whole, through a temporary file)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> list[Person]:
        if not self.path.exists():
            return []
        try:
            rows = json.loads(self.path.read_text(encoding="utf-8"))
            return [Person(**row) for row in rows]
        except (ValueError, TypeError) as error:
            raise ValueError(f"{self.path} is not a sandbox people file ({error}); "
                             "start over with --fresh") from None

    def save(self, people: list[Person]) -> None:
        rows = [{key: value for key, value in person.to_json().items() if key != "name"} for person in people]
        temporary = self.path.with_suffix(self.path.suffix + ".tmp")
        temporary.write_text(json.dumps(rows, ensure_ascii=False, indent=0), encoding="utf-8")
        os.replace(temporary, self.path)
