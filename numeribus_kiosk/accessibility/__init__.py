"""Pure-Python accessibility core of the kiosk (no Qt): syllables, profiles, themes, speech text."""

from numeribus_kiosk.accessibility.syllables import is_syllable, syllables

__all__ = ["is_syllable", "syllables"]
