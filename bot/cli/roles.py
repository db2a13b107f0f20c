"""`birge roles grant|revoke|list`."""

from __future__ import annotations

import argparse
import sys

from bot.access.roles import ADMIN, COORDINATOR, MAX_ORGANISATION_LENGTH, AccessError, AccessService, parse_organisation
from bot.config import Settings
from bot.infra.clock import Clock
from storage.db import Database


async def run_roles_command(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    from datetime import timedelta

    access = AccessService(db, Clock(), settings.admin_ids, timedelta(hours=settings.invite_ttl_hours))
    try:
        if args.roles_command == "grant":
            region = args.region.upper() if args.region else None
            organisation = None
            if args.organisation is not None:
                if args.role != COORDINATOR:
                    raise AccessError("--org is only for coordinators")
                organisation = parse_organisation(args.organisation)
                if organisation is None:
                    raise AccessError(f"--org must be 2 to {MAX_ORGANISATION_LENGTH} characters and contain letters")
            created = await access.grant(args.telegram_id, args.role, region=region, organisation=organisation)
            where = f" in {region}" if region else ""
            print(f"{'Granted' if created else 'Already had'} {args.role}{where} to {args.telegram_id}.")
        elif args.roles_command == "revoke":
            region = args.region.upper() if args.region else None
            removed = await access.revoke(args.telegram_id, args.role, region=region)
            print(f"Revoked {removed} grant(s) of {args.role} from {args.telegram_id}.")
            if args.role == ADMIN and args.telegram_id in settings.admin_ids:
                print("Note: this id is in ADMIN_IDS and stays an admin until removed from there.")
        else:
            for admin_id in sorted(settings.admin_ids):
                print(f"{admin_id}\tadmin\t(ADMIN_IDS)")
            grants = await access.all_grants()
            for grant in grants:
                line = f"{grant.telegram_id}\t{grant.role}"
                if grant.region:
                    line += f"\t{grant.region}"
                if grant.organisation:
                    line += f"\t{grant.organisation}"
                print(line)
            if not grants and not settings.admin_ids:
                print("No roles granted yet. Set ADMIN_IDS or run: birge roles grant <telegram_id> admin")
    except AccessError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    return 0
