"""bemanning: kärnan (modell, register, import/export, matchning, schema, rapporter).

Kärnan importerar aldrig textual, rich eller tui; det prövas av ett test och av
import-linter-kontraktet i pyproject.toml.
"""

__version__ = "0.1.0"
