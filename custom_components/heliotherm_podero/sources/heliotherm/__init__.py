"""Heliotherm heat pumps over RS-232 (PROTOCOL.md)."""
