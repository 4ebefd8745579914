"""Valideringsfel med svenska meddelanden, som modellen och importen delar."""

from __future__ import annotations


class ValidationError(ValueError):
    """Ett värde som modellen inte godtar. `field` är fältets namn, `message` svensk text."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
