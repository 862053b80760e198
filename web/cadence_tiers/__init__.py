"""The admin page for stay-in-touch cadence tiers."""
