"""The bot-profile methods the fake serves: the command menus (per scope and language),
the descriptions and the menu button."""

from __future__ import annotations

import re
from typing import Any

from .api_marks import api, scope_key
from .errors import bad_request
from .world import World

_COMMAND = re.compile(r"[a-z0-9_]+")  # the length (1-32) is the documented limit, checked before


class ProfileMethods:
    fake: World

    @api("setMyCommands")
    async def set_my_commands(self, params: dict[str, Any]) -> Any:
        commands = params["commands"]
        for command in commands:
            if not _COMMAND.fullmatch(command["command"]):
                raise bad_request("BOT_COMMAND_INVALID")
        self.fake.commands[self._commands_key(params)] = commands  # an empty list clears, as in Telegram
        return True

    @api("getMyCommands")
    async def get_my_commands(self, params: dict[str, Any]) -> Any:
        return self.fake.commands.get(self._commands_key(params), [])

    @api("deleteMyCommands")
    async def delete_my_commands(self, params: dict[str, Any]) -> Any:
        self.fake.commands.pop(self._commands_key(params), None)
        return True

    @api("setMyDescription")
    async def set_my_description(self, params: dict[str, Any]) -> Any:
        return self._set_text(self.fake.descriptions, params, "description")

    @api("getMyDescription")
    async def get_my_description(self, params: dict[str, Any]) -> Any:
        return {"description": self.fake.descriptions.get(params.get("language_code") or None, "")}

    @api("setMyShortDescription")
    async def set_my_short_description(self, params: dict[str, Any]) -> Any:
        return self._set_text(self.fake.short_descriptions, params, "short_description")

    @api("getMyShortDescription")
    async def get_my_short_description(self, params: dict[str, Any]) -> Any:
        return {"short_description": self.fake.short_descriptions.get(params.get("language_code") or None, "")}

    @api("setChatMenuButton")
    async def set_chat_menu_button(self, params: dict[str, Any]) -> Any:
        return True

    @staticmethod
    def _set_text(store: dict[str | None, str], params: dict[str, Any], key: str) -> bool:
        """A description per language; an empty one removes it, as in Telegram (the length
        limits, 512 and 120 characters, are checked before, from the field list)."""
        text = str(params.get(key) or "")
        language = params.get("language_code") or None
        if text:
            store[language] = text
        else:
            store.pop(language, None)
        return True

    @staticmethod
    def _commands_key(params: dict[str, Any]) -> tuple[str, str | None]:
        return scope_key(params.get("scope")), params.get("language_code") or None
