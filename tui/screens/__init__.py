"""Skärmarna: översikt, beslut, matchning, schema, rapporter, resurser, och dialogerna."""
