"""One repository per aggregate. Each takes an open AsyncSession (a unit of work)."""
