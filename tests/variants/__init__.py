"""Broken variants of the reference connector, and the helpers that run scenarios on them."""
