"""Figures for front offices: /stats in the chat and the report file.

* figures.py: what a figure is, a breakdown, a section, and the registry of sections;
* sections/: one module per group of figures (volunteers, tasks and sign-ups,
  broadcasts), each registering itself; a new group (attendance and hours, call-outs,
  reconnection requests) is one more module there;
* periods.py: the period picker's periods and the typed custom range;
* service.py: computes every registered section for a scope and a period;
* text.py, charts.py, tables.py, workbook.py: the same figures as a chat message, PNG
  charts (drawn in a worker thread), and an XLSX workbook or a zip of CSV files.
"""
