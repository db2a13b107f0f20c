"""Wiring: services, the dispatcher, the bot, and the running application.

`Application` is exactly what `birge run` starts; end-to-end tests start the same
object against the fake Bot API, so what is tested is what runs. That includes the one
limiter for all outgoing traffic: `build_bot` puts the OutgoingLimiter of the services
(over the same gate as the delivery sender) in front of every request.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder, StorageKey
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage
from aiogram.utils.i18n import I18n
from redis.asyncio import Redis

from bot.access.bot_profile import publish_bot_profile
from bot.access.menus import MenuService, MenuSyncMiddleware
from bot.access.roles import AccessService
from bot.access.users import UserService
from bot.attendance import CLOSE_DUE_EVERY_SECONDS, CheckinService, HoursService, WalkInService
from bot.callouts.answers import AnswerService
from bot.callouts.board import BoardRenderer, BoardService
from bot.callouts.cards import CalloutCards
from bot.callouts.lifecycle import CalloutLifecycle
from bot.callouts.service import CalloutService
from bot.callouts.waves import WaveFinder
from bot.certificates import CertificateService
from bot.config import Settings
from bot.domain.subjects import SubjectType
from bot.domain.vocabulary import Vocabulary
from bot.emergencies.service import EmergencyService
from bot.infra.clock import Clock
from bot.infra.delivery import (
    DeliveryConfig,
    DeliveryService,
    MessageFailed,
    MessageSent,
    OutgoingLimiter,
    RecipientUnreachable,
    SendGate,
)
from bot.infra.delivery.shared_gate import SharedSendGate
from bot.infra.fsm_storage import DatabaseStorage
from bot.infra.i18n import LocalTime, UserLocaleMiddleware, make_i18n, make_vocabulary
from bot.infra.in_flight import InFlightUpdates
from bot.infra.scheduler import (
    CALLOUT_WAVES_EVERY_SECONDS,
    EXPIRE_CLAIMS_EVERY_SECONDS,
    EXPIRE_PROMOTIONS_EVERY_SECONDS,
    RETENTION_EVERY_SECONDS,
    Scheduler,
)
from bot.infra.shared import connect_redis, prefix_for
from bot.infra.telegram_bot import build_bot
from bot.infra.units import UnitOfWorkMiddleware
from bot.lifecycle.coordinator import CoordinatorNotices, Digests
from bot.lifecycle.hooks import TaskLifeHooks
from bot.lifecycle.job import LIFECYCLE_EVERY_SECONDS, LifecycleJob
from bot.lifecycle.mine import MyTasks
from bot.lifecycle.reminders import ReminderService
from bot.lifecycle.states import TaskStates
from bot.lifecycle.texts import LifeTexts
from bot.reconnection.calls import CallService
from bot.reconnection.checkins import SafetyCheckinService
from bot.reconnection.matching import SafeMatcher
from bot.reconnection.notify import Notifier
from bot.reconnection.overview import Overview
from bot.reconnection.requests import RequestService
from bot.reconnection.retention import RetentionService
from bot.reconnection.safe import SafeService
from bot.stats.charts import ChartRenderer
from bot.stats.service import StatsService
from bot.tasks.cards import CardRenderer
from bot.tasks.matching import MatchingService
from bot.tasks.offers import OfferService
from bot.tasks.service import TaskService
from bot.tasks.signups import SignupService
from bot.volunteers.reachability import ReachabilityMiddleware
from bot.volunteers.service import VolunteerService
from handlers import build_routers
from handlers.common.menu_buttons import MainMenuButtons
from storage.db import Database
from storage.migrate import upgrade

log = logging.getLogger(__name__)

# How long a stopping bot waits for updates that are being handled.
SHUTDOWN_GRACE_SECONDS = 10.0


@dataclass(slots=True)
class Services:
    """Everything handlers may use; put into the dispatcher's workflow data by name."""

    settings: Settings
    clock: Clock
    db: Database
    i18n: I18n
    vocabulary: Vocabulary
    local_time: LocalTime
    users: UserService
    volunteers: VolunteerService
    access: AccessService
    delivery: DeliveryService
    outgoing: OutgoingLimiter
    tasks: TaskService
    matching: MatchingService
    offers: OfferService
    signups: SignupService
    menus: MenuService
    scheduler: Scheduler
    stats: StatsService
    charts: ChartRenderer  # draws in a worker thread of its own
    checkins: CheckinService
    hours: HoursService
    walk_ins: WalkInService
    certificates: CertificateService
    # Family reconnection (bot/reconnection)
    notifier: Notifier
    requests: RequestService
    calls: CallService
    safe: SafeService
    safety_checkins: SafetyCheckinService
    overview: Overview
    retention: RetentionService
    task_hooks: TaskLifeHooks
    task_states: TaskStates
    reminders: ReminderService
    notices: CoordinatorNotices
    lifecycle: LifecycleJob
    my_tasks: MyTasks
    emergencies: EmergencyService
    callouts: CalloutService
    callout_life: CalloutLifecycle
    callout_answers: AnswerService
    callout_cards: CalloutCards
    boards: BoardService

    def as_workflow_data(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


def build_services(settings: Settings, clock: Clock | None = None, db: Database | None = None,
                   delivery_config: DeliveryConfig | None = None, gate: SendGate | None = None) -> Services:
    """`delivery_config` replaces the one from the settings (tests that do not need
    Telegram's per-chat pace loosen it; everything else stays as `birge run` has it).
    `gate`: the bot's one limiter (SharedSendGate.for_token: in Redis when several processes run)."""
    clock = clock or Clock()
    db = db or Database(settings.database_url)
    i18n = make_i18n(settings.default_locale)
    volunteers = VolunteerService(db, clock)

    async def unreachable(volunteer_id: int | None, chat_id: int) -> None:
        if volunteer_id is not None or chat_id > 0:
            await volunteers.mark_unreachable(volunteer_id, telegram_id=chat_id if volunteer_id is None else None)

    local_time = LocalTime(settings.tz)
    config = delivery_config or DeliveryConfig.from_settings(settings)
    gate = gate or config.gate()  # the bot's one limiter: the sender and every direct reply
    delivery = DeliveryService(db, clock, i18n, config, allow_paid_broadcast=settings.allow_paid_broadcast,
                               on_unreachable=unreachable, gate=gate, local_time=local_time)
    matching = MatchingService(db, clock, settings.tz)
    cards = CardRenderer(i18n, local_time)
    offers = OfferService(db, clock, i18n, delivery, matching, cards, settings.tz,
                          daily_cap=settings.daily_broadcast_cap)
    # Features plug into the delivery engine here: "accepted so far" for task broadcasts;
    # subscriptions to its events go here too (delivery.events.subscribe).
    delivery.set_accepted_counter(SubjectType.TASK, offers.accepted_so_far)
    signups = SignupService(db, clock, i18n, local_time, delivery, matching, cards,
                            confirm_minutes=settings.signup_confirm_minutes)
    scheduler = Scheduler()
    scheduler.add_interval_job("expire-promotions", signups.expire_due, EXPIRE_PROMOTIONS_EVERY_SECONDS)
    hours = HoursService(db, clock, i18n, local_time, delivery)
    scheduler.add_interval_job("close-attendance", hours.close_due, CLOSE_DUE_EVERY_SECONDS)
    notifier = Notifier(i18n, delivery)
    safe_matcher = SafeMatcher(clock, notifier, local_time)
    calls = CallService(db, clock, i18n, notifier)
    retention = RetentionService(db, clock, settings.reconnection_retention_days)
    scheduler.add_interval_job("expire-relay-claims", calls.expire_due, EXPIRE_CLAIMS_EVERY_SECONDS)
    scheduler.add_interval_job("reconnection-retention", retention.erase_due, RETENTION_EVERY_SECONDS)
    # The task's life: states by time, reminders, the coordinator's list and digest.
    # Features that act when a task starts or ends register on `task_hooks` here
    # (task_hooks.on_started / on_ended; see bot/lifecycle/hooks.py).
    task_hooks = TaskLifeHooks()
    life_texts = LifeTexts(i18n, local_time)
    task_states = TaskStates(db, clock, task_hooks)
    reminders = ReminderService(db, clock, i18n, settings.tz, delivery, signups, life_texts)
    notices = CoordinatorNotices(db, clock, i18n, settings.tz, delivery, signups, life_texts)
    lifecycle = LifecycleJob(task_states, reminders, notices, Digests(db, clock, i18n, settings.tz, delivery,
                                                                       life_texts))
    scheduler.add_interval_job("task-lifecycle", lifecycle.run, LIFECYCLE_EVERY_SECONDS, at_start=True)
    # Emergencies and call-outs: waves on the emergency lane; the board follows the
    # delivery events of call-out broadcasts and every answer or coordinator action.
    menus = MenuService(db, clock, i18n, settings.admin_ids)
    emergencies = EmergencyService(db, clock, i18n, delivery)
    emergencies.on_change = menus.forget_emergencies
    callout_cards = CalloutCards(i18n, local_time)
    callouts = CalloutService(db, clock, i18n, delivery, WaveFinder(db, settings.tz), callout_cards, settings.tz)
    callout_life = CalloutLifecycle(db, clock, i18n, delivery)
    callout_answers = AnswerService(db, clock)
    boards = BoardService(db, BoardRenderer(i18n, local_time, callout_cards), clock)
    callouts.on_change = callout_life.on_change = callout_answers.on_change = boards.touch
    delivery.events.subscribe((MessageSent, MessageFailed, RecipientUnreachable), boards.on_event,
                              subject_type=SubjectType.CALLOUT, name="callout-board")
    scheduler.add_interval_job("callout-waves", callouts.advance_due, CALLOUT_WAVES_EVERY_SECONDS)
    charts = ChartRenderer()  # one matplotlib thread: the charts and the certificates' PDF
    return Services(
        settings=settings,
        clock=clock,
        db=db,
        i18n=i18n,
        vocabulary=make_vocabulary(i18n),
        local_time=local_time,
        users=UserService(db, clock),
        volunteers=volunteers,
        access=AccessService(db, clock, settings.admin_ids, timedelta(hours=settings.invite_ttl_hours)),
        delivery=delivery,
        outgoing=OutgoingLimiter(gate),
        tasks=TaskService(db, clock, i18n, local_time, delivery),
        matching=matching,
        offers=offers,
        signups=signups,
        menus=menus,
        scheduler=scheduler,
        stats=StatsService(db, clock, settings.tz),
        charts=charts,
        checkins=CheckinService(db, clock),
        hours=hours,
        walk_ins=WalkInService(db, clock, i18n, local_time, delivery),
        certificates=CertificateService(db, clock, i18n, local_time, settings.org_name, run_in_thread=charts.run),
        notifier=notifier,
        requests=RequestService(db, clock, notifier, safe_matcher),
        calls=calls,
        safe=SafeService(db, clock, safe_matcher),
        safety_checkins=SafetyCheckinService(db, clock, i18n, delivery),
        overview=Overview(db),
        retention=retention,
        task_hooks=task_hooks,
        task_states=task_states,
        reminders=reminders,
        notices=notices,
        lifecycle=lifecycle,
        my_tasks=MyTasks(db, clock),
        emergencies=emergencies,
        callouts=callouts,
        callout_life=callout_life,
        callout_answers=callout_answers,
        callout_cards=callout_cards,
        boards=boards,
    )


def build_dispatcher(services: Services, redis: Redis | None = None) -> Dispatcher:
    """With `redis`: per-user isolation across processes, and dialogs in Redis when
    FSM_STORAGE=redis (in the database otherwise, which every process shares too)."""
    key_builder = DefaultKeyBuilder(with_destiny=True)
    storage: BaseStorage = DatabaseStorage(services.db, services.clock, key_builder)
    isolation: BaseEventIsolation = SimpleEventIsolation()
    if redis is not None:
        prefix = prefix_for(services.settings.require_token())
        isolation = RedisEventIsolation(redis, key_builder=DefaultKeyBuilder(prefix=f"{prefix}:fsm"))
        if services.settings.fsm_storage == "redis":
            storage = RedisStorage(redis, key_builder=DefaultKeyBuilder(prefix=f"{prefix}:fsm", with_destiny=True))
    dispatcher = Dispatcher(
        storage=storage,
        disable_fsm=True,  # registered below, inside the unit of work
        **services.as_workflow_data(),
    )
    # Counted from the start to the unit of work's commit (a stop waits for both).
    in_flight = InFlightUpdates()
    dispatcher.update.outer_middleware(in_flight)
    dispatcher["in_flight"] = in_flight

    def chat_key(data: dict[str, Any]) -> StorageKey | None:
        context = dispatcher.fsm.resolve_event_context(data["bot"], data)
        return context.key if context is not None else None

    # One unit of work per update, opened before the dialog state is read (bot/infra/units.py);
    # one update at a time per chat, until its commit: two quick taps cannot race through one dialog.
    dispatcher.update.outer_middleware(UnitOfWorkMiddleware(services.db, isolation, chat_key))
    dispatcher.update.outer_middleware(dispatcher.fsm)
    dispatcher.update.outer_middleware(ReachabilityMiddleware(services.volunteers))
    UserLocaleMiddleware(services.i18n, services.users.locale_of).setup(dispatcher)
    # After the locale: the menu is brought up to date first, then a main-menu button's
    # text becomes its command (leaving any open dialog).
    menu_sync = MenuSyncMiddleware(services.menus)
    dispatcher.message.outer_middleware(menu_sync)
    dispatcher.callback_query.outer_middleware(menu_sync)
    dispatcher.message.outer_middleware(MainMenuButtons(services.i18n))
    dispatcher.include_routers(*build_routers())
    return dispatcher


class Application:
    """The bot as `birge run` runs it: migrate, compile catalogs, publish the default menus
    and descriptions, poll."""

    def __init__(self, settings: Settings, *, clock: Clock | None = None, polling_timeout: int = 30,
                 delivery_config: DeliveryConfig | None = None) -> None:
        self.settings = settings
        self.clock = clock or Clock()
        self.polling_timeout = polling_timeout
        self.delivery_config = delivery_config
        self.services: Services | None = None
        self.dispatcher: Dispatcher | None = None
        self.bot: Bot | None = None
        self.redis: Redis | None = None  # REDIS_URL: state shared with the other processes
        self._polling: asyncio.Task[None] | None = None

    async def prepare(self) -> None:
        token_check = self.settings.require_token()  # fail before touching anything
        assert token_check
        if self.settings.redis_url is not None:
            self.redis = await connect_redis(self.settings.redis_url)  # unreachable: ConfigError
        db = Database(self.settings.database_url)
        await upgrade(db)
        config = self.delivery_config or DeliveryConfig.from_settings(self.settings)
        gate = (SharedSendGate.for_token(config, self.redis, self.settings.require_token())
                if self.redis is not None else None)
        self.services = build_services(self.settings, self.clock, db, config, gate=gate)
        self.dispatcher = build_dispatcher(self.services, self.redis)
        self.dispatcher.startup.register(self._on_startup)
        self.dispatcher.shutdown.register(self._on_shutdown)
        self.bot = build_bot(self.settings, self.services.outgoing)
        me = await self.bot.get_me()
        await publish_bot_profile(self.bot, self.services.i18n)
        log.info("Birge is running as @%s (id %s)", me.username, me.id)

    @property
    def handling_updates(self) -> bool:
        """Is any update being handled right now?"""
        return self.dispatcher is not None and self.dispatcher["in_flight"].active > 0

    async def run(self, *, handle_signals: bool = True) -> None:
        """Poll until stopped (SIGINT/SIGTERM when handle_signals)."""
        if self.dispatcher is None:
            await self.prepare()
        assert self.dispatcher is not None and self.bot is not None
        await self.dispatcher.start_polling(
            self.bot,
            handle_signals=handle_signals,
            polling_timeout=self.polling_timeout,
            close_bot_session=True,
            allowed_updates=self.allowed_updates(),
        )

    def allowed_updates(self) -> list[str]:
        # aiogram asks only for update types that have handlers; "my_chat_member" has
        # none but tells ReachabilityMiddleware when someone blocks or unblocks the bot.
        assert self.dispatcher is not None
        return sorted({*self.dispatcher.resolve_used_update_types(), "my_chat_member"})

    async def start(self) -> None:
        """Start polling in the background (tests, the sandbox)."""
        await self.prepare()
        self._polling = asyncio.create_task(self.run(handle_signals=False))

    async def stop(self) -> None:
        if self.dispatcher is not None and self._polling is not None:
            try:
                await self.dispatcher.stop_polling()
            except RuntimeError:
                pass  # polling already ended
            await self._polling
            self._polling = None

    async def _on_startup(self, bot: Bot) -> None:
        assert self.services is not None
        await self.services.delivery.start(bot)  # inside the running loop
        self.services.boards.start(bot)
        self.services.scheduler.start()

    async def _on_shutdown(self) -> None:
        assert self.dispatcher is not None and self.services is not None
        if not await self.dispatcher["in_flight"].wait_idle(SHUTDOWN_GRACE_SECONDS):
            log.warning("stopping with updates still being handled")
        await self.services.scheduler.stop()  # runs going on finish before the database closes
        await self.services.boards.stop()
        await self.services.delivery.stop()  # before the database closes
        self.services.charts.close()
        await self.services.db.close()
        if self.redis is not None:
            await self.redis.aclose()
