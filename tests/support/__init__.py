"""What tests share: the manual clock, the running application against the emulator,
scripted dialogs, database seeding, and a recording Bot session for handler tests."""
