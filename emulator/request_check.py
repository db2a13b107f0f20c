"""Every request, checked against the Bot API's field list (emulator/spec) before any
method runs, and refused as Telegram's Bot API server refuses it.

- A missing required parameter: 400 in Telegram's words ("chat_id is empty", "message
  text is empty", else 'parameter "x" is required').
- A value of the wrong type, malformed JSON, a nested object without a required field or
  with a field of the wrong type: 400 worded as the server words it ("can't parse reply
  keyboard markup JSON object", 'can't parse inline keyboard button: Field "text" must be
  of type String'). Telegram reads a malformed top-level number as 0 and fails later with
  a method's own error; here the parameter is named at once.
- Lengths and counts the documentation states: 64 bytes of callback_data, 200 characters
  of a callback answer, 512/120 of the descriptions, 1-32 characters of a command, 100
  commands... Message texts and captions count after entity parsing, so methods.py
  checks those.
- Fields gone from the documentation that Telegram still accepts (`LEGACY`, e.g.
  `disable_web_page_preview`): accepted and reported, so a test can assert none is sent.
- Unknown parameters and fields: Telegram ignores them silently, which is how a misspelt
  or misplaced field goes unnoticed. The strict checker (the default) answers 400; a
  lenient one accepts and reports them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError
from .spec import BotApiSpec, Field, TypeSpec
from .state import UploadedFile

STRICT_NOTE = "Telegram would ignore it; the emulator refuses unknown fields in strict mode"

# Fields Telegram no longer documents but still accepts: name -> (the field that replaced
# it, which must exist where the old one is used; the old field's types).
LEGACY: dict[str, tuple[str, tuple[str, ...]]] = {
    "disable_web_page_preview": ("link_preview_options", ("Boolean",)),
    "reply_to_message_id": ("reply_parameters", ("Integer",)),
    "allow_sending_without_reply": ("reply_parameters", ("Boolean",)),
    "thumb": ("thumbnail", ("InputFile", "String")),
}

# Telegram's words for a missing required parameter (the rest: 'parameter "x" is required').
_MISSING = {
    "chat_id": "chat_id is empty",
    "text": "message text is empty",
    "document": "there is no document in the request",
    "photo": "there is no photo in the request",
    "callback_query_id": "query is too old and response timeout expired or query ID is invalid",
    "action": "wrong parameter action in request",
    "message_id": "message identifier is not specified",
    "latitude": "latitude is empty",
    "longitude": "longitude is empty",
}
# How the server names a JSON parameter it cannot parse ("can't parse <label> JSON object").
_JSON_LABELS = {
    "reply_markup": "reply keyboard markup",
    "reply_parameters": "reply parameters",
    "link_preview_options": "link preview options",
    "scope": "BotCommandScope",
    "menu_button": "menu button",
    "entities": "entities",
    "caption_entities": "entities",
}
# How it names an element of an array it cannot parse ("can't parse <label>: ...").
_ELEMENT_LABELS = {"InlineKeyboardButton": "inline keyboard button", "KeyboardButton": "keyboard button"}
# Telegram's answer when a documented length or count is exceeded, by "Owner.field".
_LIMIT_ERRORS = {
    "InlineKeyboardButton.callback_data": "BUTTON_DATA_INVALID",
    "answerCallbackQuery.text": "MESSAGE_TOO_LONG",
    "setMyDescription.description": "DESCRIPTION_INVALID",
    "setMyShortDescription.short_description": "SHORT_DESCRIPTION_INVALID",
    "BotCommand.command": "BOT_COMMAND_INVALID",
    "BotCommand.description": "BOT_COMMAND_DESCRIPTION_INVALID",
    "setMyCommands.commands": "BOT_COMMANDS_TOO_MUCH",
}
_SCALARS = frozenset({"Integer", "Float", "Boolean", "True", "String", "InputFile"})
_INTEGER = re.compile(r"-?\d+")
_TRUE, _FALSE = frozenset({"true", "yes", "1"}), frozenset({"false", "no", "0"})


class _Invalid(Exception):
    """A request the server cannot parse; an enclosing object or array may name it."""


class _Refused(Exception):
    """A request the server parses but refuses (a limit); passed on as it is."""


@dataclass
class Checked:
    """A request's parameters decoded to their documented types, with what was tolerated."""

    method: str
    params: dict[str, Any]
    legacy: list[str] = field(default_factory=list)  # "sendMessage.disable_web_page_preview"
    unknown: list[str] = field(default_factory=list)  # lenient mode: "InlineKeyboardButton.callback_date"


class RequestChecker:
    def __init__(self, spec: BotApiSpec, *, strict: bool = True) -> None:
        self.spec = spec
        self.strict = strict

    def check(self, method: str, raw: dict[str, Any]) -> Checked:
        """Decode and check the parameters of `method` (its documented name) as they came
        over the wire: strings (form fields, query string) and uploaded files."""
        fields = self.spec.methods[method]
        checked = Checked(method, {})
        try:
            for param in fields.values():
                if param.required and _absent(raw.get(param.name)):
                    raise _Refused(_MISSING.get(param.name, f'parameter "{param.name}" is required'))
            for name, value in raw.items():
                field = self._field(method, fields, name, checked)
                if field is None:
                    checked.params[name] = _json_or_text(value)
                    continue
                checked.params[name] = self._parameter(method, field, value, checked)
        except (_Invalid, _Refused) as error:
            raise ApiError(400, f"Bad Request: {_lower_first(str(error))}") from None
        return checked

    def decode_leniently(self, method: str | None, raw: dict[str, Any]) -> dict[str, Any]:
        """Parameters as well as they decode, for the record of a refused request."""
        fields = self.spec.methods.get(method or "", {})
        params = {}
        for name, value in raw.items():
            try:
                params[name] = self._parameter(method or "", fields[name], value, Checked("", {}))
            except (KeyError, _Invalid, _Refused):
                params[name] = _json_or_text(value)
        return params

    # --- top level ----------------------------------------------------------------------

    def _field(self, owner: str, fields: dict[str, Field], name: str, checked: Checked) -> Field | None:
        """The documented field `name` of `owner`, a tolerated legacy one, or (lenient mode)
        None for an unknown one, which the caller keeps as it is."""
        if name in fields:
            return fields[name]
        legacy = LEGACY.get(name)
        if legacy and legacy[0] in fields:
            checked.legacy.append(f"{owner}.{name}")
            return Field(name, legacy[1], False)
        if self.strict:
            where = "" if owner in self.spec.methods else f" in {owner}"
            kind = "parameter" if owner in self.spec.methods else "field"
            raise _Invalid(f'unknown {kind} "{name}"{where} ({STRICT_NOTE})')
        checked.unknown.append(f"{owner}.{name}")
        return None

    def _parameter(self, method: str, param: Field, value: Any, checked: Checked) -> Any:
        if isinstance(value, UploadedFile):
            if "InputFile" in param.types:
                return value
            raise _Invalid(f'parameter "{param.name}" must be of type {" or ".join(param.types)}, not a file')
        text = str(value)
        # Numbers before strings, so chat_id "123" is the number and "@name" the string.
        for type_name in sorted(param.types, key=lambda t: t == "String"):
            if type_name in _SCALARS:
                decoded = _scalar(type_name, text)
                if decoded is not None:
                    _check_limits(method, param, decoded)
                    return decoded
        composite = tuple(t for t in param.types if t not in _SCALARS)
        if not composite:
            raise _Invalid(f'parameter "{param.name}" must be of type {" or ".join(param.types)}')
        try:
            decoded = json.loads(text)
        except ValueError:
            raise _Invalid(f"Can't parse {_JSON_LABELS.get(param.name, param.name)} JSON object") from None
        if isinstance(decoded, dict) and not any(t.startswith("Array of ") for t in composite):
            result = self._alternatives(decoded, composite, method, param.name, checked)
        elif isinstance(decoded, list) and all(t.startswith("Array of ") for t in composite):
            result = self._alternatives(decoded, composite, method, param.name, checked)
        elif all(t.startswith("Array of ") for t in composite):
            raise _Invalid(f"Expected an Array of {composite[0].removeprefix('Array of ')}")
        else:
            raise _Invalid(f"Object expected as {_JSON_LABELS.get(param.name, param.name)}")
        _check_limits(method, param, result)
        return result

    # --- nested values ------------------------------------------------------------------

    def _alternatives(self, value: Any, types: tuple[str, ...], owner: str, name: str, checked: Checked) -> Any:
        """The value read as the first of `types` that fits; objects whose required fields
        are all present are tried first, and a failure reports the likeliest reading."""
        ordered = sorted(types, key=lambda t: not self._has_required(value, t))
        first_error: _Invalid | None = None
        for type_name in ordered:
            mark = (len(checked.legacy), len(checked.unknown))
            try:
                return self._value(value, type_name, owner, name, checked)
            except _Invalid as error:
                del checked.legacy[mark[0]:], checked.unknown[mark[1]:]
                first_error = first_error or error
        assert first_error is not None
        raise first_error

    def _has_required(self, value: Any, type_name: str) -> bool:
        spec = self.spec.types.get(type_name)
        if not isinstance(value, dict) or spec is None:
            return False
        if spec.subtypes:
            return any(self._has_required(value, subtype) for subtype in spec.subtypes)
        if spec.tag and value.get(spec.tag[0]) != spec.tag[1]:
            return False
        return all(f.name in value for f in spec.fields.values() if f.required)

    def _value(self, value: Any, type_name: str, owner: str, name: str, checked: Checked) -> Any:
        if type_name.startswith("Array of "):
            if not isinstance(value, list):
                raise _Invalid(f'Field "{name}" must be of type Array')
            return [self._element(item, type_name.removeprefix("Array of "), owner, name, checked) for item in value]
        if type_name in _SCALARS:
            return _json_scalar(type_name, value, name)
        if not isinstance(value, dict):
            raise _Invalid(f'Field "{name}" must be of type Object')
        return self._object(value, type_name, checked)

    def _element(self, item: Any, type_name: str, owner: str, name: str, checked: Checked) -> Any:
        if type_name.startswith("Array of "):
            if not isinstance(item, list):
                raise _Invalid(f'Field "{name}" must be an Array of Arrays')
            return self._value(item, type_name, owner, name, checked)
        if type_name in _SCALARS:
            return _json_scalar(type_name, item, name)
        spec = self.spec.types[type_name]
        if not isinstance(item, dict):
            raise _Invalid(f"Can't parse {_ELEMENT_LABELS.get(type_name, type_name)}: {type_name} must be an Object")
        if spec.subtypes:
            return self._object(item, type_name, checked)  # a union names itself
        try:
            return self._object(item, type_name, checked)
        except _Invalid as error:
            raise _Invalid(f"Can't parse {_ELEMENT_LABELS.get(type_name, type_name)}: {error}") from None

    def _object(self, value: dict[str, Any], type_name: str, checked: Checked) -> dict[str, Any]:
        spec = self.spec.types[type_name]
        if spec.subtypes:
            try:
                return self._alternatives(value, self._leaves(spec, value), type_name, type_name, checked)
            except _Invalid as error:
                raise _Invalid(f"Can't parse {type_name}: {error}") from None
        for required in spec.fields.values():
            if required.required and required.name not in value:
                raise _Invalid(f'Can\'t find field "{required.name}"')
        if spec.tag and value[spec.tag[0]] != spec.tag[1]:
            raise _Invalid(f'Field "{spec.tag[0]}" must be "{spec.tag[1]}"')
        result = {}
        for key, item in value.items():
            member = self._field(type_name, spec.fields, key, checked)
            if member is None:
                result[key] = item
                continue
            result[key] = self._alternatives(item, member.types, type_name, key, checked)
            _check_limits(type_name, member, result[key])
        return result

    def _leaves(self, union: TypeSpec, value: dict[str, Any]) -> tuple[str, ...]:
        """The concrete subtypes of `union` (unions nest), those with the value's tag if it
        has one the union knows."""
        leaves: list[TypeSpec] = []
        todo = list(union.subtypes)
        while todo:
            spec = self.spec.types[todo.pop(0)]
            if spec.subtypes:
                todo.extend(spec.subtypes)
            else:
                leaves.append(spec)
        tagged = [spec for spec in leaves if spec.tag and value.get(spec.tag[0]) == spec.tag[1]]
        if not tagged and leaves and all(spec.tag for spec in leaves):
            tag_field = leaves[0].tag[0]  # type: ignore[index]  # all(spec.tag ...) above: every leaf has a tag
            if tag_field not in value:
                raise _Invalid(f'Can\'t find field "{tag_field}"')
            raise _Invalid(f'Unsupported {tag_field} "{value[tag_field]}"')
        return tuple(spec.name for spec in (tagged or leaves))


def _absent(value: Any) -> bool:
    """Telegram takes an empty parameter for a missing one."""
    return value is None or value == ""


def _scalar(type_name: str, text: str) -> Any:
    """A form field's text read as `type_name`, or None when it is not one."""
    if type_name == "Integer":
        return int(text) if _INTEGER.fullmatch(text) else None
    if type_name == "Float":
        try:
            return float(text)
        except ValueError:
            return None
    if type_name in ("Boolean", "True"):
        lowered = text.strip().lower()
        return True if lowered in _TRUE else False if lowered in _FALSE else None
    if type_name == "String":
        return text
    return None  # InputFile: only an upload, handled before


def _json_scalar(type_name: str, value: Any, name: str) -> Any:
    """A JSON value inside an object read as `type_name`, as the server reads it (numbers
    pass for strings, digit strings for numbers)."""
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if type_name == "Integer":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and _INTEGER.fullmatch(value):
            return int(value)
        raise _Invalid(f'Field "{name}" must be a Number')
    if type_name == "Float":
        if is_number:
            return value
        raise _Invalid(f'Field "{name}" must be of type Number')
    if type_name in ("Boolean", "True"):
        if isinstance(value, bool):
            return value
        raise _Invalid(f'Field "{name}" must be of type Boolean')
    if isinstance(value, str):
        return value
    if is_number and type_name == "String":
        return str(value)
    raise _Invalid(f'Field "{name}" must be of type String')


def _check_limits(owner: str, member: Field, value: Any) -> None:
    if member.length and not member.after_entities_parsing and isinstance(value, str):
        low, high, unit = member.length
        size = len(value.encode()) if unit == "bytes" else len(value)
        if not low <= size <= high:
            raise _Refused(_LIMIT_ERRORS.get(f"{owner}.{member.name}",
                                             f'{member.name} must be {low}-{high} {unit} long, not {size}'))
    if member.items and isinstance(value, list):
        low, high = member.items
        if not low <= len(value) <= high:
            raise _Refused(_LIMIT_ERRORS.get(f"{owner}.{member.name}",
                                             f"{member.name} must hold {low}-{high} items, not {len(value)}"))


def _lower_first(message: str) -> str:
    """The server's rule: the first letter of a description is lowered, unless the second
    one is a capital or an underscore (error codes such as BUTTON_DATA_INVALID)."""
    if len(message) >= 2 and (message[1] == "_" or message[1].isupper()):
        return message
    return message[:1].lower() + message[1:]


def _json_or_text(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value
