"""factory_boy factories shared by every app's tests."""

from datetime import timedelta

import factory
from django.utils import timezone

from entraide.accounts.models import User
from entraide.help_requests.models import HelpRequest
from entraide.volunteers.models import VolunteerProfile

# Central Brussels (Grand-Place); tests move people around it by small offsets.
BRUSSELS = (50.8467, 4.3525)
PARIS = (48.8566, 2.3522)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    username = factory.LazyAttribute(lambda o: o.email)
    first_name = factory.Faker("first_name")
    language = "fr"
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.django.Password("password")


class VolunteerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerProfile

    # Volunteers give operators a number to call them on (a valid Belgian mobile).
    user = factory.SubFactory(
        UserFactory, phone=factory.Sequence(lambda n: f"+32478{n % 1_000_000:06d}")
    )
    town = "Bruxelles"
    country = "BE"
    lat = BRUSSELS[0]
    lon = BRUSSELS[1]
    cell = factory.LazyAttribute(lambda o: VolunteerProfile.position_values(o.lat, o.lon)["cell"])
    radius_km = 5
    languages = factory.LazyFunction(lambda: ["fr"])
    kinds = factory.LazyFunction(list)
    consented_at = factory.LazyFunction(timezone.now)


class HelpRequestFactory(factory.django.DjangoModelFactory):
    """Insert a request row directly; use help_request_create to test the real write path."""

    class Meta:
        model = HelpRequest

    kind = "groceries"
    details = "Bread, milk and apples"
    urgency = "today"
    languages = factory.LazyFunction(lambda: ["fr"])
    requester_name = factory.Faker("name")
    requester_phone = "+32470123456"
    requester_email = factory.Sequence(lambda n: f"requester{n}@example.org")
    requester_language = "fr"
    town = "Bruxelles"
    postcode = "1000"
    country = "BE"
    lat = BRUSSELS[0]
    lon = BRUSSELS[1]
    cell = factory.LazyAttribute(lambda o: HelpRequest.position_values(o.lat, o.lon)["cell"])
    consent_at = factory.LazyFunction(timezone.now)
    channel = "web"
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
