"""Telegram's HTML parse mode, re-implemented after tdlib's parser so that markup Telegram
would reject fails in tests too, with the same "can't parse entities" wording.

One deliberate difference: Telegram keeps a stray `&` that starts no entity as literal
text, this parser rejects it. A stray `&` almost always means user input went into a
message without `html.escape`, and the next user's `<` would then break the message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_SPACES = frozenset(" \t\n\r\f\v")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG_ENTITY = {
    "a": "text_link",
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "tg-emoji": "custom_emoji",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}


class HtmlError(ValueError):
    """Markup Telegram refuses; the message is the detail after "can't parse entities: "."""


@dataclass
class _Open:
    tag: str
    argument: str
    offset: int  # UTF-16 offset of the entity start in the visible text


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Return the visible text and its entities (offsets in UTF-16 units, as Telegram's)."""
    return _Parser(source).run()


def strip_text(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Drop leading and trailing whitespace as Telegram does, keeping entities aligned."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    end = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        stop = min(entity["offset"] + entity["length"] - shift, end)
        if stop > start:
            kept.append({**entity, "offset": start, "length": stop - start})
    return stripped, kept


class _Parser:
    def __init__(self, source: str) -> None:
        self.src = source
        self.pos = 0
        self.out: list[str] = []
        self.utf16 = 0
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        while self.pos < len(self.src):
            char = self.src[self.pos]
            if char == "&":
                self._emit(self._entity(strict=True))
            elif char == "<" and self.src.startswith("</", self.pos):
                self._end_tag()
            elif char == "<":
                self._start_tag()
            else:
                self._emit(char)
                self.pos += 1
        if self.stack:
            raise HtmlError(f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"')
        self.entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
        return "".join(self.out), self.entities

    def _byte_offset(self, pos: int) -> int:
        return len(self.src[:pos].encode("utf-8", "surrogatepass"))

    def _at(self, pos: int) -> str:
        return self.src[pos] if pos < len(self.src) else ""

    def _emit(self, text: str) -> None:
        self.out.append(text)
        self.utf16 += utf16_len(text)

    def _skip_spaces(self) -> None:
        while self._at(self.pos) in _SPACES and self._at(self.pos):
            self.pos += 1

    def _entity(self, *, strict: bool) -> str:
        """Decode the character reference at `pos` (`&lt;`, `&#60;`, `&#x3c;`)."""
        start, src = self.pos, self.src
        end = src.find(";", start, start + 12)
        body = src[start + 1 : end] if end != -1 else ""
        char = _NAMED_ENTITIES.get(body)
        if char is None and body.startswith("#"):
            digits, base = (body[2:], 16) if body[1:2] in ("x", "X") else (body[1:], 10)
            try:
                code = int(digits, base) if digits.isalnum() else 0
            except ValueError:
                code = 0
            if 0 < code < 0x110000:
                char = chr(code)
        if char is None:
            if strict:
                raise HtmlError(f'Unescaped "&" at byte offset {self._byte_offset(start)}; escape it as "&amp;"')
            self.pos += 1
            return "&"
        self.pos = end + 1
        return char

    def _start_tag(self) -> None:
        begin = self.pos
        self.pos += 1
        while self._at(self.pos) and self._at(self.pos) not in _SPACES and self._at(self.pos) != ">":
            self.pos += 1
        if not self._at(self.pos):
            raise HtmlError(f"Unclosed start tag at byte offset {self._byte_offset(begin)}")
        tag = self.src[begin + 1 : self.pos].lower()
        if tag not in _TAG_ENTITY:
            raise HtmlError(f'Unsupported start tag "{tag}" at byte offset {self._byte_offset(begin)}')
        argument = self._attributes(tag, begin)
        self.pos += 1  # the closing '>'
        if tag == "span" and argument != "spoiler":
            raise HtmlError(f'Tag "span" must have class "tg-spoiler" at byte offset {self._byte_offset(begin)}')
        self.stack.append(_Open(tag, argument, self.utf16))

    def _attributes(self, tag: str, begin: int) -> str:
        """Read attributes up to '>' and return the one that matters for this tag."""
        argument = ""
        while True:
            self._skip_spaces()
            if not self._at(self.pos):
                raise HtmlError(f'Unclosed start tag "{tag}" at byte offset {self._byte_offset(begin)}')
            if self._at(self.pos) == ">":
                return argument
            name_start = self.pos
            while self._at(self.pos) and self._at(self.pos) not in _SPACES and self._at(self.pos) not in "=>":
                self.pos += 1
            name = self.src[name_start : self.pos].lower()
            self._skip_spaces()
            if self._at(self.pos) != "=":
                if tag == "blockquote" and name == "expandable":
                    argument = "expandable"
                    continue
                raise HtmlError(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                    f"at byte offset {self._byte_offset(begin)}"
                )
            self.pos += 1
            self._skip_spaces()
            value = self._attribute_value(tag, begin)
            if tag == "a" and name == "href":
                argument = value
            elif tag == "code" and name == "class" and value.startswith("language-"):
                argument = value.removeprefix("language-")
            elif tag == "span" and name == "class" and value.startswith("tg-"):
                argument = value.removeprefix("tg-")
            elif tag == "tg-emoji" and name == "emoji-id":
                argument = value

    def _attribute_value(self, tag: str, begin: int) -> str:
        quote = self._at(self.pos)
        if not quote:
            raise HtmlError(f'Unclosed start tag "{tag}" at byte offset {self._byte_offset(begin)}')
        if quote not in "\"'":
            token_start = self.pos
            while self._at(self.pos) and (self._at(self.pos).isalnum() or self._at(self.pos) in ".-"):
                self.pos += 1
            if self._at(self.pos) not in _SPACES and self._at(self.pos) != ">" or not self._at(self.pos):
                raise HtmlError(f"Unexpected end of name token at byte offset {self._byte_offset(token_start)}")
            return self.src[token_start : self.pos].lower()
        value_start = self.pos
        self.pos += 1
        chars: list[str] = []
        while self._at(self.pos) and self._at(self.pos) != quote:
            if self._at(self.pos) == "&":
                chars.append(self._entity(strict=False))  # Telegram keeps '&' in URLs literally
            else:
                chars.append(self._at(self.pos))
                self.pos += 1
        if not self._at(self.pos):
            raise HtmlError(f"Unclosed start tag at byte offset {self._byte_offset(value_start)}")
        self.pos += 1
        return "".join(chars)

    def _end_tag(self) -> None:
        begin = self.pos
        self.pos += 2
        while self._at(self.pos) and self._at(self.pos) not in _SPACES and self._at(self.pos) != ">":
            self.pos += 1
        name = self.src[begin + 2 : self.pos].lower()
        self._skip_spaces()
        if self._at(self.pos) != ">":
            raise HtmlError(f"Unclosed end tag at byte offset {self._byte_offset(begin)}")
        self.pos += 1
        if not self.stack:
            raise HtmlError(f"Unexpected end tag at byte offset {self._byte_offset(begin)}")
        opened = self.stack.pop()
        if name and name != opened.tag:
            raise HtmlError(
                f'Unmatched end tag at byte offset {self._byte_offset(begin)}, '
                f'expected "</{opened.tag}>", found "</{name}>"'
            )
        self._close(opened)

    def _close(self, opened: _Open) -> None:
        length = self.utf16 - opened.offset
        if length == 0:
            return
        entity: dict[str, Any] = {"type": _TAG_ENTITY[opened.tag], "offset": opened.offset, "length": length}
        if opened.tag == "a":
            if not opened.argument:
                return
            entity["url"] = opened.argument
        elif opened.tag == "tg-emoji":
            if not opened.argument.isdigit() or int(opened.argument) == 0:
                raise HtmlError("Invalid custom emoji identifier specified")
            entity["custom_emoji_id"] = opened.argument
        elif opened.tag == "blockquote" and opened.argument == "expandable":
            entity["type"] = "expandable_blockquote"
        elif opened.tag == "pre":
            inner = self.entities[-1] if self.entities else None
            if inner and inner["type"] == "code":
                language = inner.pop("language", None)
                if inner["offset"] == opened.offset and inner["length"] == length:
                    self.entities.pop()  # <pre><code class="language-x"> is one pre entity
                    if language:
                        entity["language"] = language
        elif opened.tag == "code" and opened.argument and self.stack and self.stack[-1].tag == "pre":
            entity["language"] = opened.argument
        self.entities.append(entity)
