"""The overview's stored sort keys of the seeded demo (the bulk rounds send no signals)."""

from . import services


def seed(ctx) -> None:
    services.refresh_all_stale()
