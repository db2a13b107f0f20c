"""Administration (admins only): coordinator invites, the list of roles, the audit log;
and the invite deep link anyone may open."""
