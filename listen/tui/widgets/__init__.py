"""Reusable widgets of the listen app."""
