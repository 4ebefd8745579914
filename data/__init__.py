"""Filer som följer med programmet: insatskatalogen, standardinställningarna, rapportmallarna och
demodata. I ett installerat paket heter katalogen `bemanning.data`; programmet hittar den med
importlib.resources (se bemanning/paths.py)."""
