"""Dagster definitions: every step of Écoute as assets, one job, schedules, checks."""
