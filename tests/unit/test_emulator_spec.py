"""The emulator's field list: made by its generator from the official documentation's
machine-readable copy, current with that generator, and covering every method the
emulator serves. Nothing here reads the copy of the documentation itself: the generator
is checked on a small sample in tests/data."""

from __future__ import annotations

import json
from pathlib import Path

from emulator.methods import BotApi
from emulator.spec import DATA_FILE, load
from emulator.spec.generate import compact, generator_fingerprint, render
from emulator.world import World

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "data" / "bot_api_sample.json"
COMMITTED = ROOT / "emulator" / "spec" / DATA_FILE
ABOUT = {"api": "sample"}

# What the generator makes of the sample: every method, only the types a request can carry
# (not Message), tags of union members, limits stated in words.
EXPECTED = {
    "about": ABOUT,
    "methods": {
        "getMe": {},
        "sendMessage": {
            "chat_id": [["Integer", "String"], True],
            "text": [["String"], True, {"length": [1, 4096, "characters"], "after_entities_parsing": True}],
            "entities": [["Array of MessageEntity"], False],
            "reply_markup": [["InlineKeyboardMarkup", "ForceReply"], False],
        },
        "setMyCommands": {
            "commands": [["Array of BotCommand"], True, {"items": [0, 100]}],
            "scope": [["BotCommandScope"], False],
        },
        "setMessageReaction": {
            "chat_id": [["Integer", "String"], True],
            "message_id": [["Integer"], True],
            "reaction": [["Array of ReactionTypeEmoji"], False, {"items": [0, 3]}],
        },
    },
    "types": {
        "MessageEntity": {"fields": {"type": [["String"], True], "offset": [["Integer"], True],
                                     "length": [["Integer"], True]}},
        "InlineKeyboardMarkup": {"fields": {"inline_keyboard": [["Array of Array of InlineKeyboardButton"], True]}},
        "InlineKeyboardButton": {"fields": {
            "text": [["String"], True],
            "callback_data": [["String"], False, {"length": [1, 64, "bytes"]}],
            "callback_game": [["CallbackGame"], False],
        }},
        "CallbackGame": {"fields": {}},
        "ForceReply": {"fields": {
            "force_reply": [["Boolean"], True],
            "input_field_placeholder": [["String"], False, {"length": [1, 64, "characters"]}],
        }},
        "BotCommand": {"fields": {
            "command": [["String"], True, {"length": [1, 32, "characters"]}],
            "description": [["String"], True, {"length": [1, 256, "characters"]}],
        }},
        "BotCommandScope": {"subtypes": ["BotCommandScopeDefault", "BotCommandScopeChat"]},
        "BotCommandScopeDefault": {"fields": {"type": [["String"], True]}, "tag": ["type", "default"]},
        "BotCommandScopeChat": {"fields": {"type": [["String"], True], "chat_id": [["Integer", "String"], True]},
                                "tag": ["type", "chat"]},
        "ReactionTypeEmoji": {"fields": {"type": [["String"], True]}, "tag": ["type", "emoji"]},
    },
}


def test_the_generator_keeps_what_the_checks_need_from_a_sample_of_the_documentation() -> None:
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data = compact(sample, about=ABOUT)
    assert data == EXPECTED
    assert list(data["types"]) == list(EXPECTED["types"])  # the documentation's order, for readable diffs
    text = render(data)
    assert json.loads(text) == EXPECTED
    assert render(json.loads(text)) == text  # stable: rendering what was read back changes nothing


def test_the_committed_field_list_is_current_with_its_generator() -> None:
    text = COMMITTED.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["about"]["generator_sha256"] == generator_fingerprint(), (
        "emulator/spec/generate.py changed since bot_api.json was made: run "
        + data["about"]["regenerate"])
    assert render(data) == text, "bot_api.json was edited by hand: regenerate it"


def test_the_field_list_says_where_it_comes_from_and_under_which_licence() -> None:
    about = load().about
    assert about["source"]["project"] == "telegram-bot-api-spec"
    assert about["source"]["licence"] == "MIT" and "Paul Larsen" in about["source"]["copyright"]
    assert about["source"]["documentation"] == "https://core.telegram.org/bots/api"
    assert about["api"].startswith("Bot API ") and len(about["source_sha256"]) == 64


def test_every_method_the_emulator_serves_is_in_the_field_list_under_its_own_name() -> None:
    spec = load()
    names = [name for name, _handler in BotApi(World(token="t", bot_id=1, username="b", global_rate_limit=None)
                                               ).handlers.values()]
    assert len(names) >= 25
    assert [name for name in names if name not in spec.methods] == []


def test_the_field_list_holds_the_whole_api_and_the_nested_request_types() -> None:
    spec = load()
    assert len(spec.methods) >= 150
    send = spec.methods["sendMessage"]
    assert (send["chat_id"].types, send["chat_id"].required) == (("Integer", "String"), True)
    assert send["text"].length == (1, 4096, "characters") and send["text"].after_entities_parsing
    assert send["reply_markup"].types == ("InlineKeyboardMarkup", "ReplyKeyboardMarkup", "ReplyKeyboardRemove",
                                          "ForceReply")
    assert "disable_web_page_preview" not in send and "reply_to_message_id" not in send
    assert spec.types["InlineKeyboardButton"].fields["callback_data"].length == (1, 64, "bytes")
    assert spec.types["BotCommandScopeChat"].tag == ("type", "chat")
    assert set(spec.types["LinkPreviewOptions"].fields) >= {"is_disabled", "url", "prefer_small_media"}
    assert spec.methods["setMyCommands"]["commands"].items == (0, 100)
    assert spec.method_name("SENDMESSAGE") == "sendMessage" and spec.method_name("sendTelepathy") is None
    assert "Message" not in spec.types  # a response type: requests never carry it


def test_nothing_in_the_project_reads_the_shared_reference_folder() -> None:
    shared = "sha" + "red/reference"  # spelt apart so this file does not match itself
    sources = [path for folder in ("bot", "handlers", "storage", "emulator", "tests", "benchmarks")
               for path in (ROOT / folder).rglob("*.py")]
    assert len(sources) > 50
    assert [str(path) for path in sources if shared in path.read_text(encoding="utf-8")] == []
