"""Finding contacts and reading their timelines."""
