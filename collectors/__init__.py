"""Where posts come from: the sources, the pipeline that stores them, and the scheduler process.

Uses crm's services; never imports web.
"""
