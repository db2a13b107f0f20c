"""Marker for texts that are translated later, at the moment they are shown.

`N_("Astana")` returns its argument unchanged; Babel extracts it (N_ is one of its
default keywords) so the name lands in every catalog, and the code that shows it calls
`gettext(name, locale=...)`.
"""


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    return message
