"""Reporting: plots (PNG) and the Markdown summary of a result file."""
