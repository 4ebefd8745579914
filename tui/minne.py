"""Minnet när stora register läses."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def long_lived() -> Iterator[None]:
    """Det som läses här (registrets cache, tabellens rader) lever länge.

    Ingen skräpsamling medan det byggs, och efteråt flyttas det ur skräpsamlarens generationer
    (`gc.freeze`). Annars går en full insamling igenom miljontals objekt, och eftersom den håller
    GIL står gränssnittet still under tiden (1,5–4 s med 100 000 beslut), under läsningen eller
    vid en slumpvis tangent efteråt. Objekten frigörs ändå med referensräkning när cachen byts ut.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
