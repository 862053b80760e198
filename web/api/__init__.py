"""The JSON API, version 1: contacts, interactions and follow-ups for other council systems."""
