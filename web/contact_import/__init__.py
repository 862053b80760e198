"""Importing contacts from a CSV file in the browser."""
