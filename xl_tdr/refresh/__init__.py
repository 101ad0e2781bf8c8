"""Refresh the store from the Census (API or bulk file): fetch, validate, write in one transaction."""

from .run import RefreshSummary, refresh

__all__ = ["refresh", "RefreshSummary"]
