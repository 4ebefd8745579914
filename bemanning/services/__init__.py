"""Tjänstelagret: det kommandoraden och gränssnittet anropar.

Varje användaråtgärd (importera, en händelse på ett beslut, ett steg i matchningen, ett schema,
en rapport) går genom en funktion här, så att kommandoraden och det interaktiva programmet gör
samma sak med samma inställningar. Lagret ligger ovanför kärnans delar (model → store → io,
reports, matching, roster) och under `bemanning.cli` och `tui`.
"""
