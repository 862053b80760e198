"""Finding contacts and reading their timelines."""

# Adding, changing, merging and deleting contacts add their routes to the same blueprint.
from web.contacts import accounts, affiliations, editing, merging  # noqa: F401
