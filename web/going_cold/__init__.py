"""The going-cold list: contacts nobody has been in touch with within their cadence."""
