"""Omvandling mellan modellobjekt och JSON-säkra poster (för händelselogg och export).

Omvandlarna byggs en gång per klass (typanalysen är dyr) och återanvänds.
"""

from __future__ import annotations

import enum
import operator
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from typing import Any, TypeVar

import attrs

T = TypeVar("T")
Converter = Callable[[Any], Any]


_PLAIN = frozenset({str, int, float, bool, type(None)})


def to_record(obj: Any) -> Any:
    cls = type(obj)
    if cls in _PLAIN:  # det vanligaste värdet först: en text, ett tal eller inget
        return obj
    if cls is tuple or cls is list:  # sedan listor (önskemålens) och datum, före typanalysen nedan
        return [x if type(x) in _PLAIN else to_record(x) for x in obj]
    if cls is date:
        return obj.isoformat()
    fields = _attrs_getter(cls)
    if fields is not None:
        names, getter = fields
        record = {}
        for name, value in zip(names, getter(obj), strict=True):
            kind = type(value)
            if kind in _PLAIN:
                record[name] = value
            elif kind is tuple or kind is list:
                record[name] = [x if type(x) in _PLAIN else to_record(x) for x in value]
            else:
                record[name] = to_record(value)
        return record
    if isinstance(obj, (str, int, float, bool)):
        if isinstance(obj, enum.Enum):
            return obj.value
        return obj
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, datetime):
        return obj.isoformat(timespec="seconds")
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, (list, tuple)):
        return [x if type(x) in _PLAIN else to_record(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_record(v) for k, v in obj.items()}
    return obj



def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A nested record as one level, with dotted keys ("onskemal.sprak"), for comparing fields."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat

@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in attrs.fields(cls))


@cache
def _attrs_getter(cls: type) -> tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]] | None:
    """Fälten i en attrs-klass och en funktion som läser alla deras värden på en gång (en tupel),
    None för allt annat (slås upp en gång per typ)."""
    names = _attrs_names(cls)
    if names is None:
        return None
    if not names:
        return names, lambda obj: ()
    getter = operator.attrgetter(*names)
    if len(names) == 1:
        return names, lambda obj: (getter(obj),)
    return names, getter


@cache
def _attrs_names(cls: type) -> tuple[str, ...] | None:
    """Fälten i en attrs-klass, None för allt annat (slås upp en gång per typ)."""
    return _field_names(cls) if attrs.has(cls) else None


def _identity(value: Any) -> Any:
    return value


def _converter(tp: Any) -> Converter:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _converter(args[0]) if len(args) == 1 else _identity
    if origin is tuple:
        (inner, *_rest) = typing.get_args(tp) or (Any,)
        convert = _converter(inner)
        return lambda value: tuple(convert(v) for v in value)
    if isinstance(tp, type):
        if attrs.has(tp):
            return lambda value: from_record(tp, value)
        if issubclass(tp, enum.Enum):
            return tp
        if tp is date:
            return date.fromisoformat
        if tp is datetime:
            return datetime.fromisoformat
        if tp is float:
            return float
    return _identity


@cache
def _plan(cls: type) -> tuple[tuple[str, Converter], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _converter(hints.get(f.name, Any))) for f in attrs.fields(cls))


def from_record(cls: type[T], record: dict[str, Any]) -> T:
    kwargs = {}
    for name, convert in _plan(cls):
        if name in record:
            value = record[name]
            kwargs[name] = None if value is None else convert(value)
    return cls(**kwargs)
