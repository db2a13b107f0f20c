"""The reusable privilege check: every privileged update is checked on the server.

Hiding a button is only a convenience; a forged callback or a typed command must be
refused just the same. Attach `RequireRole` as a router-level *inner* middleware to a
router that holds only privileged handlers::

    router = Router(name="coordinator")
    guard = RequireRole(coordinator=True)
    router.message.middleware(guard)
    router.callback_query.middleware(guard)

    @router.callback_query(TaskCb.filter(F.action == "close"), flags={"action": "task.close"})
    async def close_task(query: CallbackQuery, roles: UserRoles, ...) -> None:
        if not roles.can_coordinate(task.region):      # finer, per-object check
            await refuse(query, access, "task.close", target=str(task.id))
            return
        ...

What it does, for each update whose filters matched a handler of that router (an inner
middleware runs only after the filters, so unrelated updates pass by untouched and the
fallback router still sees them):

- asks `AccessService.roles_of(user_id)` afresh (a revoked role takes effect at once) and
  puts the result into the handler data as `roles: UserRoles`;
- lets the handler run when the person has the role (`admin=True`: an admin;
  `coordinator=True`: a coordinator of any region, or an admin);
- otherwise refuses politely in the user's language (a callback query gets an alert, a
  message a reply), writes `access.record(user_id, action, allowed=False)` to the audit
  log, and the handler never runs.

`dialogs=(SomeStatesGroup, ...)`: on a refusal, a dialog of those groups that is still
open is closed (a role revoked mid-dialog must not trap the person in refusals).

The audit `action` is the handler's `flags={"action": "..."}` flag, else the guard's own
`action`, else the handler function's name. Inner middlewares of a router also apply to
its child routers, so public handlers (such as the invite deep link) must live in a
sibling router, not in the guarded one or below it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.flags import get_flag
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import StatesGroup
from aiogram.types import CallbackQuery, Message, TelegramObject, User
from aiogram.utils.i18n import gettext as _

from bot.access.roles import AccessService, UserRoles

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class RequireRole(BaseMiddleware):
    """Inner middleware: run the handler only for admins (admin=True) or coordinators
    (coordinator=True; admins count as coordinators everywhere)."""

    def __init__(
        self,
        *,
        admin: bool = False,
        coordinator: bool = False,
        action: str | None = None,
        dialogs: tuple[type[StatesGroup], ...] = (),
    ) -> None:
        if admin == coordinator:
            raise ValueError("RequireRole needs exactly one of admin=True or coordinator=True")
        self.admin = admin
        self.coordinator = coordinator
        self.action = action
        # A refused person left inside one of these dialogs (their role was revoked
        # mid-way) is taken out of it, so their next messages are not refused again.
        self.dialogs = dialogs

    def allows(self, roles: UserRoles) -> bool:
        return roles.is_admin if self.admin else roles.is_coordinator

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        access: AccessService = data["access"]
        user: User | None = data.get("event_from_user")
        if user is None:  # channel posts and the like: nobody to check, nothing to allow
            return None
        roles = await access.roles_of(user.id)
        data["roles"] = roles
        if self.allows(roles):
            return await handler(event, data)
        await refuse(
            event,
            access,
            self._action_name(data),
            user_id=user.id,
            message=_("Sorry, only administrators can do this.") if self.admin
            else _("Sorry, only coordinators can do this."),
        )
        state: FSMContext | None = data.get("state")
        if self.dialogs and state is not None:
            current = await state.get_state()
            if current is not None and any(current in group for group in self.dialogs):
                await state.clear()
        return None

    def _action_name(self, data: dict[str, Any]) -> str:
        flagged = get_flag(data, "action")
        if flagged:
            return str(flagged)
        if self.action:
            return self.action
        handler_object = data.get("handler")
        callback = getattr(handler_object, "callback", None)
        return getattr(callback, "__name__", "unknown")


async def refuse(
    event: TelegramObject,
    access: AccessService,
    action: str,
    *,
    user_id: int | None = None,
    message: str | None = None,
    target: str | None = None,
    details: dict | None = None,
) -> None:
    """Answer a refused attempt politely and write it to the audit log.

    Use it also for per-object checks inside a handler (e.g. a coordinator acting on
    another region's task). `message` must already be translated (default: a general
    "you do not have the rights" text).
    """
    if user_id is None:
        sender = getattr(event, "from_user", None)
        user_id = sender.id if sender is not None else None
    text = message or _("Sorry, you do not have permission to do this.")
    audit_details = dict(details or {})
    if isinstance(event, CallbackQuery):
        audit_details.setdefault("callback_data", (event.data or "")[:64])
    elif isinstance(event, Message) and event.text:
        audit_details.setdefault("text", event.text[:64])
    log.info("refused %s to %s", action, user_id)
    await access.record(user_id, action, allowed=False, target=target, details=audit_details)
    if isinstance(event, CallbackQuery):
        await event.answer(text[:200], show_alert=True)
    elif isinstance(event, Message):
        await event.answer(text)
