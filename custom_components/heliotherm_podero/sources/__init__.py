"""Backends: the Home Assistant-free lower floor."""
