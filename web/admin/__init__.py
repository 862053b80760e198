"""Administration: officers' accounts and roles."""
