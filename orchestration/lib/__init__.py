"""Reusable pieces for the definitions in `defs/`."""
