"""Where posts come from. Each source turns a platform's pages into Weaver's one post record."""
