"""Numéribus kiosk: the offline-first accessible library kiosk of the Loire numéribus."""

__version__ = "0.1.0"
