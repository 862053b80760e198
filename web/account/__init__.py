"""An officer's own account: changing their password."""
