"""Numéribus sync: the bus's sync agent and the headquarters service."""
