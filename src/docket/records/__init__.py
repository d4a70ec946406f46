"""The case record: models, services (writes), selectors (reads), bundles, admin."""
