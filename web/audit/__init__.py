"""The audit log, for information governance: search it, export it, review repeated views."""
