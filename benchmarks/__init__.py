"""Benchmarks, run from the repository root (not packaged, not imported by the bot):

    python -m benchmarks.import_bench      # the spreadsheet import
    python -m benchmarks.matching_bench    # choosing a task's recipients
    python -m benchmarks.delivery_bench    # the delivery engine against the emulator
    python -m benchmarks.names_bench       # name search
"""
