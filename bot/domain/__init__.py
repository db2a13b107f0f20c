"""Pure domain logic: no aiogram, no SQL."""
