"""Det interaktiva programmet (Textual). Tunt: skärmar och widgetar som anropar kärnan."""
