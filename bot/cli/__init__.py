"""The `birge` command line (also `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from bot.config import ConfigError, Settings, exit_on_config_error, load_settings
from storage.db import Database
from storage.migrate import upgrade

TRY_IT = "No Telegram bot yet? Try Birge in your browser: birge sandbox --demo"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="birge",
        description="Birge: a Telegram bot that matches volunteers to tasks. "
        "Configuration comes from environment variables or a .env file (see README).",
        epilog=TRY_IT,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("run", help="start the bot (long polling); needs BOT_TOKEN")
    add_sandbox_parser(commands)
    commands.add_parser("web", help="serve Telegram's webhook (several may run); needs BOT_TOKEN, WEBHOOK_URL, "
                        "WEBHOOK_SECRET (README: Scaling out)")
    commands.add_parser("worker", help="send queued messages and run the scheduler, one active at a time; "
                        "needs BOT_TOKEN, REDIS_URL")
    copy = commands.add_parser("copy-database", help="copy a whole database (e.g. the SQLite file) into DATABASE_URL "
                               "(e.g. PostgreSQL), which must be empty")
    copy.add_argument("source", help="SQLAlchemy URL of the database to copy, e.g. sqlite+aiosqlite:///birge.db")
    commands.add_parser("migrate", help="apply pending database migrations and exit")

    roles = commands.add_parser("roles", help="grant, revoke and list admin and coordinator roles")
    roles_commands = roles.add_subparsers(dest="roles_command", metavar="ACTION", required=True)
    grant = roles_commands.add_parser("grant", help="grant a role: birge roles grant 12345 coordinator --region KZ-75")
    revoke = roles_commands.add_parser("revoke", help="revoke a role (in one region with --region)")
    for sub in (grant, revoke):
        sub.add_argument("telegram_id", type=int, help="the person's numeric Telegram user id")
        sub.add_argument("role", choices=["admin", "coordinator"])
        sub.add_argument("--region", help="ISO 3166-2:KZ code, e.g. KZ-75 (coordinators)")
    grant.add_argument("--org", dest="organisation", help="organisation name shown with the coordinator")
    roles_commands.add_parser("list", help="list granted roles (and ADMIN_IDS)")

    volunteers = commands.add_parser("volunteers", help="volunteer records")
    volunteers_commands = volunteers.add_subparsers(dest="volunteers_command", metavar="ACTION", required=True)
    importer = volunteers_commands.add_parser("import", help="import volunteers from a .csv or .xlsx file")
    importer.add_argument("file", help="path to a .csv (UTF-8, comma or semicolon) or .xlsx file")

    report = commands.add_parser("report", help="write the statistics report: birge report --from 2026-01-01 "
                                 "--to 2026-06-30 --out report.xlsx")
    report.add_argument("--from", dest="first", required=True, help="first day, YYYY-MM-DD (local time)")
    report.add_argument("--to", dest="last", required=True, help="last day, YYYY-MM-DD, included")
    report.add_argument("--region", help="ISO 3166-2:KZ code, e.g. KZ-75 (default: the whole country)")
    report.add_argument("--lang", choices=["kk", "ru", "en"], help="language of the report (default: DEFAULT_LOCALE)")
    report.add_argument("--format", dest="fmt", choices=["xlsx", "csv"], default="xlsx",
                        help="xlsx (default) or csv (a zip of one CSV file per sheet)")
    report.add_argument("--out", required=True, help="the file to write")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        raise SystemExit(0)
    try:
        settings = load_settings()
        if args.command in ("run", "web", "worker"):
            settings.require_token()
        if args.command == "web":
            settings.require_webhook()
        if args.command == "worker":
            settings.require_redis("worker")
    except ConfigError as error:
        if args.command == "run" and settings_token_missing(error):
            print(f"Configuration error: {error} {TRY_IT}", file=sys.stderr)  # one line, as every config error
            raise SystemExit(2) from None
        exit_on_config_error(error)
        return
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.getLevelName(settings.log_level)))
    try:
        status = asyncio.run(_dispatch(args, settings))
    except KeyboardInterrupt:
        status = 130
    except ConfigError as error:  # found at start: REDIS_URL unreachable
        exit_on_config_error(error)
        return
    raise SystemExit(status)


def settings_token_missing(error: ConfigError) -> bool:
    return str(error).startswith("BOT_TOKEN is not set")


def add_sandbox_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`birge sandbox` (bot/cli/sandbox.py, imported only when it runs)."""
    sandbox = commands.add_parser(
        "sandbox", help="try Birge in a browser: the bot against its own Telegram emulator (no token needed)")
    sandbox.add_argument("--demo", action="store_true",
                         help="fill the sandbox with 300 volunteers, two coordinators, an admin and tasks")
    sandbox.add_argument("--fresh", action="store_true", help="start over: delete the sandbox database first")
    sandbox.add_argument("--port", type=int, default=8080, help="port of the page (default 8080; 0: any free one)")
    sandbox.add_argument("--host", default="127.0.0.1",
                         help="address to listen on (default 127.0.0.1: this machine only)")
    sandbox.add_argument("--database", default="sandbox.db", help="the sandbox's SQLite file (default sandbox.db)")
    sandbox.add_argument("--drill", type=int, default=0, metavar="N",
                         help="add N simulated volunteers who answer the buttons they get (odds set on the page)")
    sandbox.add_argument("--drill-region", default="KZ-75", help="region of the simulated volunteers (default KZ-75)")
    sandbox.add_argument("--drill-seed", type=int, default=None, metavar="SEED",
                         help="seed of the simulated volunteers' choices (the same seed, the same answers)")


async def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "sandbox":
        from bot.cli.sandbox import SandboxOptions, run_sandbox

        return await run_sandbox(SandboxOptions.from_args(args), settings)
    if args.command == "run":
        from bot.app import Application

        await Application(settings).run()
        return 0
    if args.command == "web":
        from bot.cli.processes import WebApplication

        await WebApplication(settings).run()
        return 0
    if args.command == "worker":
        from bot.cli.processes import WorkerApplication

        return await WorkerApplication(settings).run()

    db = Database(settings.database_url)
    try:
        await upgrade(db)
        if args.command == "migrate":
            print("Database is up to date.")
            return 0
        if args.command == "copy-database":
            return await _copy_database(args.source, db)
        if args.command == "roles":
            from bot.cli.roles import run_roles_command

            return await run_roles_command(args, settings, db)
        if args.command == "report":
            from bot.cli.report import run_report_command

            return await run_report_command(args, settings, db)
        if args.command == "volunteers":
            from bot.cli.importer import run_import_command

            return await run_import_command(args, settings, db)
    finally:
        await db.close()
    print(f"unknown command {args.command}", file=sys.stderr)
    return 2


async def _copy_database(source_url: str, target: Database) -> int:
    from storage.copy import CopyError, copy_database

    source = Database(source_url)
    try:
        await upgrade(source)
        copied = await copy_database(source, target)
    except CopyError as error:
        print(f"Not copied: {error}", file=sys.stderr)
        return 1
    finally:
        await source.close()
    print(f"Copied {sum(copied.values())} rows in {len(copied)} tables into {target.engine.url!r}.")
    return 0
