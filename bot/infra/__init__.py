"""Infrastructure that features use and never the other way round: the clock, gettext
catalogs and local time (i18n.py), the delivery engine (delivery/), the scheduler, the
database-backed FSM storage. Nothing here imports a feature package."""
