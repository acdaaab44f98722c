"""Small helpers shared by the help-request tests."""

from entraide.accounts.models import User
from entraide.testing.factories import BRUSSELS, UserFactory, VolunteerProfileFactory

KM_PER_DEGREE_LAT = 111.195


def north_of_brussels(km: float) -> tuple[float, float]:
    """Return the point `km` kilometres due north of central Brussels."""
    return BRUSSELS[0] + km / KM_PER_DEGREE_LAT, BRUSSELS[1]


def volunteer_at(km: float, *, user_kwargs: dict | None = None, **profile_kwargs) -> User:
    """Return a French-speaking volunteer `km` kilometres north of central Brussels."""
    lat, lon = north_of_brussels(km)
    user = UserFactory.create(**(user_kwargs or {}))
    profile_kwargs.setdefault("radius_km", 20)
    VolunteerProfileFactory.create(user=user, lat=lat, lon=lon, **profile_kwargs)
    return user
