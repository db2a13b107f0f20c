"""What the page shows of a chat: messages as Telegram draws them (text with its entities
as safe HTML, keyboards, photos, documents, locations, venues, contacts), the reply
keyboard shown now and the command menu, as plain JSON for the browser."""

from __future__ import annotations

import html
from typing import Any

from ..state import FakeMessage

_TAGS = {
    "bold": ("<b>", "</b>"),
    "italic": ("<i>", "</i>"),
    "underline": ("<u>", "</u>"),
    "strikethrough": ("<s>", "</s>"),
    "code": ("<code>", "</code>"),
    "pre": ("<pre>", "</pre>"),
    "spoiler": ('<span class="spoiler">', "</span>"),
    "blockquote": ("<blockquote>", "</blockquote>"),
    "expandable_blockquote": ("<blockquote>", "</blockquote>"),
}


def _python_offsets(text: str) -> list[int]:
    """Python string index of every UTF-16 code unit offset (entities count in UTF-16)."""
    offsets: list[int] = []
    for index, char in enumerate(text):
        offsets.append(index)
        if ord(char) > 0xFFFF:
            offsets.append(index)
    offsets.append(len(text))
    return offsets


def _link(href: str, inner: str) -> tuple[str, str]:
    safe = href if href.startswith(("http://", "https://", "tg://", "mailto:")) else "https://" + href
    return f'<a href="{html.escape(safe, quote=True)}" target="_blank" rel="noopener">', "</a>"


def entities_to_html(text: str | None, entities: list[dict[str, Any]] | None) -> str:
    """`text` with its entities as HTML that is safe to put into the page: every character
    of the text is escaped; only the tags made here are markup. Newlines stay newlines
    (the page shows them with `white-space: pre-wrap`)."""
    if not text:
        return ""
    offsets = _python_offsets(text)
    opens: dict[int, list[tuple[int, str]]] = {}
    closes: dict[int, list[tuple[int, str]]] = {}
    for number, entity in enumerate(entities or []):
        try:
            start = offsets[int(entity["offset"])]
            end = offsets[min(int(entity["offset"]) + int(entity["length"]), len(offsets) - 1)]
        except (KeyError, IndexError, TypeError, ValueError):
            continue
        kind = entity.get("type")
        if end <= start:
            continue
        if kind in _TAGS:
            tag_open, tag_close = _TAGS[kind]
        elif kind == "text_link" and entity.get("url"):
            tag_open, tag_close = _link(str(entity["url"]), text[start:end])
        elif kind == "url":
            tag_open, tag_close = _link(text[start:end], text[start:end])
        elif kind == "bot_command":
            command = html.escape(text[start:end], quote=True)
            tag_open, tag_close = f'<span class="command" data-command="{command}">', "</span>"
        elif kind in ("mention", "hashtag", "email", "phone_number", "cashtag"):
            tag_open, tag_close = f'<span class="{kind}">', "</span>"
        else:
            continue
        # Longer entities open first and close last, so nested ones stay well formed.
        opens.setdefault(start, []).append((-(end - start) * 1000 + number, tag_open))
        closes.setdefault(end, []).append(((end - start) * 1000 - number, tag_close))
    out: list[str] = []
    for index in range(len(text) + 1):
        out.extend(tag for _, tag in sorted(closes.get(index, [])))
        out.extend(tag for _, tag in sorted(opens.get(index, [])))
        if index < len(text):
            out.append(html.escape(text[index], quote=False))
    return "".join(out)


def _inline_keyboard(message: FakeMessage) -> list[list[dict[str, Any]]]:
    rows = (message.reply_markup or {}).get("inline_keyboard") or []
    shown: list[list[dict[str, Any]]] = []
    for row in rows:
        buttons = []
        for button in row:
            item: dict[str, Any] = {"text": button.get("text", "")}
            if "url" in button:
                item["url"] = button["url"]
            elif "callback_data" in button:
                item["callback"] = True
            elif "copy_text" in button:
                item["copy"] = (button["copy_text"] or {}).get("text", "")
            buttons.append(item)
        shown.append(buttons)
    return shown


def message_json(message: FakeMessage, file_url: str = "/api/files/") -> dict[str, Any]:
    """One message as the page draws it."""
    content = message.content
    data: dict[str, Any] = {
        "id": message.message_id,
        "from_bot": message.from_bot,
        "date": message.date,
        "edited": bool(message.edited),
        "deleted": message.deleted,
    }
    if message.deleted:
        return data
    if message.text is not None:
        data["html"] = entities_to_html(message.text, message.entities)
    if content.get("caption"):
        data["caption_html"] = entities_to_html(content["caption"], content.get("caption_entities"))
    if content.get("photo"):
        data["photo"] = file_url + content["photo"][-1]["file_id"]
    if content.get("document"):
        document = content["document"]
        data["document"] = {"name": document.get("file_name") or "file", "size": document.get("file_size", 0),
                            "url": file_url + document["file_id"]}
    if content.get("venue"):
        venue = content["venue"]
        data["venue"] = {"title": venue.get("title", ""), "address": venue.get("address", ""),
                         **_point(venue.get("location") or {})}
    elif content.get("location"):
        data["location"] = _point(content["location"])
    if content.get("contact"):
        contact = content["contact"]
        data["contact"] = {"phone": contact.get("phone_number", ""),
                           "name": " ".join(filter(None, (contact.get("first_name"), contact.get("last_name"))))}
    if content.get("sticker"):
        data["sticker"] = content["sticker"].get("emoji") or "🖼"
    if content.get("voice"):
        data["voice"] = content["voice"].get("duration", 0)
    keyboard = _inline_keyboard(message)
    if keyboard:
        data["inline"] = keyboard
    return data


def _point(location: dict[str, Any]) -> dict[str, float]:
    return {"latitude": float(location.get("latitude", 0.0)), "longitude": float(location.get("longitude", 0.0))}


def reply_keyboard_json(message: FakeMessage | None) -> dict[str, Any] | None:
    """The reply keyboard shown under the input field now (None: the normal keyboard)."""
    if message is None:
        return None
    markup = message.reply_markup or {}
    rows = [[{"text": button["text"] if isinstance(button, dict) else str(button),
              "contact": bool(isinstance(button, dict) and button.get("request_contact")),
              "location": bool(isinstance(button, dict) and button.get("request_location"))}
             for button in row] for row in markup.get("keyboard") or []]
    return {"rows": rows, "placeholder": markup.get("input_field_placeholder") or "",
            "one_time": bool(markup.get("one_time_keyboard"))}
