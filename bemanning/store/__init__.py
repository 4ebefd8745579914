"""Registret: händelselogg i SQLite (eller annan databas via URL), migreringar och läget per dag."""

from bemanning.store.register import Register, open_register, record_of, to_url

__all__ = ["Register", "open_register", "record_of", "to_url"]
