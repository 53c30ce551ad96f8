"""``aistack eval``: a domain suite run against the running coordinator, with a score history."""
