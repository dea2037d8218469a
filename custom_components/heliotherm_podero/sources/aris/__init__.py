"""The Aris Brain (local REST API of the Aris Comfort system)."""
