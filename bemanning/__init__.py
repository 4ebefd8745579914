"""bemanning: kärnan (modell, register, import/export, matchning, schema, rapporter).

Kärnan importerar aldrig textual, rich eller tui; det prövas av ett test och av
import-linter-kontraktet i pyproject.toml.
"""

__version__ = "0.1.0"

import logging as _logging

# Ett bibliotek skriver bara logg dit programmet säger: utan -v (eller programmets loggfil) hamnar
# inget på användarens terminal, inte heller varningar.
_logging.getLogger("bemanning").addHandler(_logging.NullHandler())
