"""Domänmodellen (attrs): beslut, enskild, händelser, uppdragstagare, personal, enheter.

Validering bor här, med svenska meddelanden (`ValidationError`).
"""

from bemanning.model.beslut import ORSAK_TEXT, Beslut, Onskemal
from bemanning.model.beslutslage import Avbrott, BeslutLage, Erbjudande, Forslag, fold_beslut
from bemanning.model.enhet import Enhet, Samplaneringsomrade
from bemanning.model.enskild import Enskild
from bemanning.model.errors import ValidationError
from bemanning.model.handelse import Entitet, Handelse, HandelseTyp
from bemanning.model.insats import Insats, Katalog, default_katalog, normalize_label
from bemanning.model.resurser import TIDER, Personal, Uppdragstagare, Vetting
from bemanning.model.values import Kon

__all__ = [
    "ORSAK_TEXT",
    "TIDER",
    "Avbrott",
    "Beslut",
    "BeslutLage",
    "Enhet",
    "Enskild",
    "Entitet",
    "Erbjudande",
    "Forslag",
    "Handelse",
    "HandelseTyp",
    "Insats",
    "Katalog",
    "Kon",
    "Onskemal",
    "Personal",
    "Samplaneringsomrade",
    "Uppdragstagare",
    "ValidationError",
    "Vetting",
    "default_katalog",
    "fold_beslut",
    "normalize_label",
]
