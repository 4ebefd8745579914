"""Widgetar som flera skärmar delar."""
