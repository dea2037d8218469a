"""Heliotherm podero."""
