"""The Bot API emulator: a local Telegram Bot API server the real aiogram Bot talks HTTP
to, with simulated users who talk to the bot through it; tests read what users see and
what the bot sent. It is its own package, independent of the bot, and ships in the wheel.

    async with FakeTelegram() as fake:
        bot = Bot(fake.token, session=AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url)))
        user = fake.user(42)
        reply = await user.ask("/start")
"""

from .errors import ApiError
from .server import FakeTelegram
from .state import WAIT, Call, CallbackRecord, FakeMessage, FakeStats, UploadedFile
from .users import FakeUser
from .world import World

__all__ = [
    "WAIT", "ApiError", "Call", "CallbackRecord", "FakeMessage", "FakeStats", "FakeTelegram", "FakeUser", "UploadedFile", "World",
]
