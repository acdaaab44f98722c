"""Periodic work for lodging, called by the worker's scheduler (see LodgingConfig)."""

from entraide.lodging import services


def expire_holds() -> int:
    """Give back the nights of holds that ran out."""
    return services.expire_holds()


def mark_no_shows() -> int:
    """Free the next nights of guests who did not come by the place's no-show hour."""
    return services.mark_no_shows()
