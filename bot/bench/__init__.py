"""Benchmarks: `python -m bot.bench.import_bench` (the spreadsheet import)."""
