"""Écoute: an open-source social-listening warehouse."""

__version__ = "0.1.0"
