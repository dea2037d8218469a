"""The Podero Partner API (cloud) as a source: every heat pump of one Podero user."""
