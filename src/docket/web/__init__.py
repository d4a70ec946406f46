"""The Django project: settings from the environment, URLs, pages."""
