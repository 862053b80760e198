"""What can be done with the CRM: plain functions over a session, one unit of work each.

Web routes, CLI commands and scheduled jobs all come through here.
"""
