"""A fake Telegram Bot API for tests: the real aiogram Bot talks HTTP to it, simulated
users talk to the bot through it, and tests read what users see and what the bot sent.

    async with FakeTelegram() as fake:
        bot = Bot(fake.token, session=AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url)))
        user = fake.user(42)
        reply = await user.ask("/start")
"""

from .errors import ApiError
from .server import FakeTelegram
from .state import WAIT, Call, CallbackRecord, FakeMessage, FakeStats, UploadedFile
from .users import FakeUser

__all__ = ["WAIT", "ApiError", "Call", "CallbackRecord", "FakeMessage", "FakeStats", "FakeTelegram", "FakeUser", "UploadedFile"]
