"""The sandbox page's pieces that need no server: message text with its entities as safe
HTML, messages as the page draws them, the page's own texts in kk/ru/en (complete, the
same placeholders), and a page that loads nothing from the internet."""

from __future__ import annotations

import json
import re
from pathlib import Path

from emulator.sandbox.render import entities_to_html, message_json, reply_keyboard_json
from emulator.state import FakeMessage, UploadedFile

STATIC = Path(__file__).resolve().parents[2] / "emulator" / "sandbox" / "static"
CHAT = {"id": 1, "type": "private", "first_name": "A"}


def bot_message(**fields: object) -> FakeMessage:
    return FakeMessage(chat=CHAT, message_id=7, sender={"id": 2, "is_bot": True, "first_name": "B"},
                       from_bot=True, date=0, **fields)  # type: ignore[arg-type]  # test values of mixed types


def test_text_is_escaped_and_entities_become_tags() -> None:
    assert entities_to_html("<b>x</b> & y", []) == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    text = "Hello bold italic"
    entities = [{"type": "bold", "offset": 6, "length": 11}, {"type": "italic", "offset": 11, "length": 6}]
    assert entities_to_html(text, entities) == "Hello <b>bold <i>italic</i></b>"


def test_offsets_count_in_utf16_like_telegram() -> None:
    text = "👋 Привет"  # the emoji is two UTF-16 code units
    assert entities_to_html(text, [{"type": "bold", "offset": 3, "length": 6}]) == "👋 <b>Привет</b>"


def test_links_commands_and_deep_links() -> None:
    html = entities_to_html("Open /start or here", [
        {"type": "bot_command", "offset": 5, "length": 6},
        {"type": "text_link", "offset": 15, "length": 4, "url": 'https://t.me/bot?start=abc"x'},
    ])
    assert '<span class="command" data-command="/start">/start</span>' in html
    assert '<a href="https://t.me/bot?start=abc&quot;x" target="_blank" rel="noopener">here</a>' in html
    assert 'href="https://t.me/b"' in entities_to_html("t.me/b", [{"type": "url", "offset": 0, "length": 6}])
    assert "javascript" not in entities_to_html("x", [{"type": "text_link", "offset": 0, "length": 1,
                                                         "url": "javascript:alert(1)"}]).split('"')[1][:10]


def test_messages_as_the_page_draws_them() -> None:
    deleted = bot_message(text="gone", deleted=True)
    assert message_json(deleted) == {"id": 7, "from_bot": True, "date": 0, "edited": False, "deleted": True}
    photo = bot_message(content={"photo": [{"file_id": "f1"}], "caption": "QR", "caption_entities": []},
                        file=UploadedFile("f1", "u1", "qr.png", "image/png", b""))
    assert message_json(photo)["photo"] == "/api/files/f1" and message_json(photo)["caption_html"] == "QR"
    document = bot_message(content={"document": {"file_id": "f2", "file_name": "report.xlsx", "file_size": 2048}})
    assert message_json(document)["document"] == {"name": "report.xlsx", "size": 2048, "url": "/api/files/f2"}
    venue = bot_message(content={"venue": {"title": "Park", "address": "Abay 1",
                                           "location": {"latitude": 43.2, "longitude": 76.9}}})
    assert message_json(venue)["venue"] == {"title": "Park", "address": "Abay 1", "latitude": 43.2, "longitude": 76.9}
    keyboard = bot_message(text="Pick", edited=1, reply_markup={"inline_keyboard": [
        [{"text": "Yes", "callback_data": "y"}, {"text": "Site", "url": "https://example.org"}]]})
    shown = message_json(keyboard)
    assert shown["edited"] and shown["inline"] == [[{"text": "Yes", "callback": True},
                                                    {"text": "Site", "url": "https://example.org"}]]
    reply = bot_message(text="Phone?", reply_markup={"keyboard": [[{"text": "📱 Share", "request_contact": True}],
                                                                   [{"text": "⬅️ Back"}]],
                                                      "input_field_placeholder": "+7…"})
    assert reply_keyboard_json(reply) == {"rows": [[{"text": "📱 Share", "contact": True, "location": False}],
                                                   [{"text": "⬅️ Back", "contact": False, "location": False}]],
                                          "placeholder": "+7…", "one_time": False}


def test_the_page_texts_are_complete_in_kk_ru_en() -> None:
    texts = json.loads((STATIC / "i18n.json").read_text(encoding="utf-8"))
    assert set(texts) == {"kk", "ru", "en"}
    keys = set(texts["en"])
    for language, table in texts.items():
        assert set(table) == keys, language
        for key, value in table.items():
            assert value.strip(), (language, key)
            assert set(re.findall(r"\{\w+\}", value)) == set(re.findall(r"\{\w+\}", texts["en"][key])), (language, key)
    assert texts["kk"]["title"] != texts["en"]["title"] and texts["ru"]["title"] != texts["en"]["title"]
    used = set(re.findall(r'data-i18n(?:-placeholder|-label)?="(\w+)"', (STATIC / "index.html").read_text()))
    used |= set(re.findall(r'\bt\("(\w+)"\s*[,)]', (STATIC / "app.js").read_text()))
    assert used and used <= keys, used - keys


def test_the_page_loads_nothing_from_the_internet() -> None:
    for name in ("index.html", "app.js", "style.css"):
        source = (STATIC / name).read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", source), name
        assert "@import" not in source and "cdn" not in source.lower(), name
