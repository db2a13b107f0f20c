"""Generate the emulator's field list (emulator/spec/bot_api.json) from a machine-readable
copy of the official Bot API documentation.

    python -m emulator.spec.generate path/to/api.json [--out emulator/spec/bot_api.json]

The input is the `api.json` of telegram-bot-api-spec
(https://github.com/PaulSonOfLars/telegram-bot-api-spec, MIT licence, copyright 2020 Paul
Larsen), itself scraped from https://core.telegram.org/bots/api. The output keeps only
what the emulator's request checks need: every method with its parameters (types,
required or not), every type a request can carry (input types, reachable from the
parameters) with its fields, the subtypes of each union type and the constant that tells
them apart, and the limits the documentation states in words ("1-4096 characters after
entities parsing", "1-64 bytes", "At most 100 commands"). The output is committed; this
script is never run by the tests (they check its output for a small sample and that the
committed file was made by this very script)."""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

DEFAULT_OUT = Path(__file__).with_name("bot_api.json")
SOURCE = {
    "project": "telegram-bot-api-spec",
    "url": "https://github.com/PaulSonOfLars/telegram-bot-api-spec",
    "file": "api.json",
    "licence": "MIT",
    "copyright": "Copyright (c) 2020 Paul Larsen",
    "documentation": "https://core.telegram.org/bots/api",
}

_LENGTH = re.compile(r"(\d+)-(\d+) (characters|bytes)")
_COUNT = re.compile(r"(?<![\w.-])(\d+)-(\d+) (?!characters|bytes|based)|[Aa]t most (\d+) |up to (\d+) ")
# "Scope type, must be chat", 'Type of the reaction, always "emoji"': the union's tag.
_TAG = re.compile(r"(?:must be|always) [\"“]?([a-z_]+)[\"”]?$")


def _base(type_name: str) -> str:
    while type_name.startswith("Array of "):
        type_name = type_name.removeprefix("Array of ")
    return type_name


def _is_array(field: dict[str, Any]) -> bool:
    return any(type_name.startswith("Array of ") for type_name in field["types"])


def _field(field: dict[str, Any]) -> list[Any]:
    """[types, required] plus, when the documentation states them, the limits."""
    description = field.get("description", "")
    extra: dict[str, Any] = {}
    if _is_array(field):
        count = _COUNT.search(description)
        if count:
            low, high, at_most, up_to = count.groups()
            extra["items"] = [int(low), int(high)] if high else [0, int(at_most or up_to)]
    elif "String" in field["types"]:
        length = _LENGTH.search(description)
        if length:
            extra["length"] = [int(length.group(1)), int(length.group(2)), length.group(3)]
            if re.search(r"after entit(?:y|ies) parsing", description):
                extra["after_entities_parsing"] = True
    row: list[Any] = [list(field["types"]), bool(field["required"])]
    if extra:
        row.append(extra)
    return row


def _request_types(api: dict[str, Any]) -> list[str]:
    """Every type a request can carry: reachable from the methods' parameters through
    fields and subtypes, in the documentation's order."""
    types = api["types"]
    todo = [_base(name) for method in api["methods"].values() for field in method.get("fields", [])
            for name in field["types"]]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or name not in types:
            continue
        seen.add(name)
        todo.extend(_base(t) for field in types[name].get("fields", []) for t in field["types"])
        todo.extend(types[name].get("subtypes", []))
    return [name for name in types if name in seen]


def _tag(fields: Iterable[dict[str, Any]]) -> list[str] | None:
    """[field, value] of the constant that names a union's subtype (`type`, `source`)."""
    for field in fields:
        match = _TAG.search(field.get("description", ""))
        if field["required"] and field["types"] == ["String"] and match:
            return [field["name"], match.group(1)]
    return None


def compact(api: dict[str, Any], *, about: dict[str, Any]) -> dict[str, Any]:
    """The emulator's field list from a telegram-bot-api-spec document."""
    methods = {name: {field["name"]: _field(field) for field in method.get("fields", [])}
               for name, method in api["methods"].items()}
    types: dict[str, Any] = {}
    for name in _request_types(api):
        spec = api["types"][name]
        entry: dict[str, Any] = {}
        if "subtypes" in spec:
            entry["subtypes"] = list(spec["subtypes"])
        if "fields" in spec or "subtypes" not in spec:
            entry["fields"] = {field["name"]: _field(field) for field in spec.get("fields", [])}
        tag = _tag(spec.get("fields", [])) if "subtype_of" in spec else None
        if tag:
            entry["tag"] = tag
        types[name] = entry
    return {"about": about, "methods": methods, "types": types}


def about(api: dict[str, Any], source_bytes: bytes) -> dict[str, Any]:
    return {
        "what": "Bot API methods and request types, as the emulator's request checks need them",
        "api": api.get("version"),
        "release_date": api.get("release_date"),
        "source": SOURCE,
        "source_sha256": hashlib.sha256(source_bytes).hexdigest(),
        "generator": "emulator/spec/generate.py",
        "generator_sha256": generator_fingerprint(),
        "regenerate": "python -m emulator.spec.generate path/to/telegram-bot-api-spec/api.json",
    }


def generator_fingerprint() -> str:
    """The hash of this script, recorded in its output so a test can tell a stale file."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def render(data: dict[str, Any]) -> str:
    """JSON with one method or type a line: small, and a new API version diffs readably."""
    def section(entries: dict[str, Any]) -> str:
        lines = [f"    {json.dumps(name)}: {json.dumps(value, ensure_ascii=False)}" for name, value in entries.items()]
        return "{\n" + ",\n".join(lines) + "\n  }"

    about_text = json.dumps(data["about"], ensure_ascii=False, indent=2).replace("\n", "\n  ")
    return (f'{{\n  "about": {about_text},\n  "methods": {section(data["methods"])},\n'
            f'  "types": {section(data["types"])}\n}}\n')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="api.json of telegram-bot-api-spec")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"default: {DEFAULT_OUT}")
    args = parser.parse_args(argv)
    raw = args.source.read_bytes()
    api = json.loads(raw)
    data = compact(api, about=about(api, raw))
    args.out.write_text(render(data), encoding="utf-8")
    print(f"{args.out}: {len(data['methods'])} methods, {len(data['types'])} types ({api.get('version')})",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
