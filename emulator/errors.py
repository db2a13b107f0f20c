"""Errors the fake answers with, worded as Telegram words them.

aiogram turns the HTTP status plus `description` (and `parameters.retry_after`) into
its exception classes, so the exact wording matters for code that inspects it."""

from __future__ import annotations

from typing import Any

DEFAULT_DESCRIPTIONS: dict[int, str] = {
    400: "Bad Request: chat not found",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class ApiError(Exception):
    """One failed Bot API call: the HTTP status doubles as `error_code`."""

    def __init__(self, error_code: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


def too_many_requests(retry_after: int) -> ApiError:
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


def injected(error_code: int, description: str | None, retry_after: int | None) -> ApiError:
    """The error a test asked for with `FakeTelegram.inject`, with Telegram's usual wording."""
    if error_code == 429:
        seconds = 1 if retry_after is None else retry_after
        error = too_many_requests(seconds)
        if description:
            error.description = description
        return error
    text = description or DEFAULT_DESCRIPTIONS.get(error_code, f"Error {error_code}")
    return ApiError(error_code, text, retry_after=retry_after)
