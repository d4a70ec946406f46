"""The REST API: every record type read as its audience may see it, and written through the
same checks as a bundle. See docs/api.md."""
