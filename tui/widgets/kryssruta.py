"""En kryssruta som syns ikryssad bara när den är det.

Textuals Checkbox ritar alltid ett X och skiljer på och av bara med färg: i en terminal med få
färger, med nedsatt färgseende eller i en skärmläsare ser en tom ruta ikryssad ut (filtret
"Över 3 mån" på Beslut såg påslaget ut fast listan visade alla öppna beslut).
"""

from __future__ import annotations

from textual.widgets import Checkbox


class Kryssruta(Checkbox):
    """Checkbox med X när den är ikryssad och ett blanksteg när den inte är det."""

    def render(self):
        self.BUTTON_INNER = "X" if self.value else " "
        return super().render()
