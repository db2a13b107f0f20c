"""`birge sandbox`: the emulator as a product. A web page where several people chat with
the bot side by side (web.py, stream.py, render.py, static/), the people of a sandbox
(people.py) and drills with simulated volunteers (drill.py). Like the rest of the
emulator it knows nothing of the bot; bot/cli/sandbox.py wires the two together."""

from .drill import Drill
from .people import BadRequest, PeopleFile, Person
from .web import SandboxPage

__all__ = ["BadRequest", "Drill", "PeopleFile", "Person", "SandboxPage"]
