"""Tasks: what coordinators publish (service.py, drafts.py), who matches them
(matching.py), sending them to those people (offers.py, cards.py), and how volunteers
take them (signups.py: places, the waitlist, promotions)."""
