"""Demo data and generated history, made through the operations and the one totals module."""
