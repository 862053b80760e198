"""Weaver's CRM: the domain model, its persistence and the services that change it.

Nothing in this package knows about Flask, HTTP or the collectors.
"""
