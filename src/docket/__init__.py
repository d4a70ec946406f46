"""Docket: a sourced, private, tamper-evident record of human-rights violations."""

__version__ = "0.1.0"
