"""Persistence: SQLAlchemy 2 tables, Alembic migrations and one repository per aggregate.

Nothing here imports aiogram or knows about Telegram texts.
"""
