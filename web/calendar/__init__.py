"""The calendar feed: an officer's follow-ups at a secret address, for Outlook."""
