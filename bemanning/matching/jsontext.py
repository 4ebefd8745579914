"""JSON-text som är tecken för tecken densamma som `json.dumps(värde, ensure_ascii=False, indent=2)`,
men som kan byggas i delar: en del som återkommer (samma förklaring för många beslut) kodas en gång
och klistras in på sin nivå. Standardbibliotekets kodare med indrag är skriven i Python och går
igenom varje värde för sig; för matchningens resultat (tiotusentals beslut utan person) är det
den största kostnaden. Testerna jämför med `json.dumps`.
"""

from __future__ import annotations

from json.encoder import encode_basestring
from typing import Any

INDENT = 2
_PAD: dict[int, str] = {}


def newline(level: int) -> str:
    """Radbrytningen före ett värde på nivå `level` (som `json.dumps` med indent=2)."""
    pad = _PAD.get(level)
    if pad is None:
        pad = _PAD[level] = "\n" + " " * (INDENT * level)
    return pad


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == -float("inf"):
        return "-Infinity"
    return float.__repr__(value)


def key_text(key: Any) -> str:
    """En nyckel i ett objekt som JSON-text (som `json.dumps` skriver den)."""
    if isinstance(key, str):
        return encode_basestring(key)
    if key is None or isinstance(key, int | float):  # bool är en int: "true", "false"
        return '"' + dumps(key) + '"'
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def dumps(value: Any, level: int = 0) -> str:
    """`value` som JSON med indrag 2, skrivet som om det stod på nivå `level` i ett större dokument."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, dict):
        return object_text([(k, dumps(v, level + 1)) for k, v in value.items()], level)
    if isinstance(value, list | tuple):
        return list_text([dumps(v, level + 1) for v in value], level)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def list_text(items: list[str], level: int) -> str:
    """En lista vars element redan är kodade för nivå `level + 1`."""
    if not items:
        return "[]"
    inner = newline(level + 1)
    return "[" + inner + ("," + inner).join(items) + newline(level) + "]"


def object_text(fields: list[tuple[Any, str]], level: int) -> str:
    """Ett objekt vars värden redan är kodade för nivå `level + 1`."""
    if not fields:
        return "{}"
    inner = newline(level + 1)
    return "{" + inner + ("," + inner).join(key_text(k) + ": " + v for k, v in fields) + newline(level) + "}"
