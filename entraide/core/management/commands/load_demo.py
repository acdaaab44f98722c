"""Load a realistic Brussels + Paris demo: volunteers, operators, staff, requests in every state."""

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from entraide.accounts.models import User
from entraide.help_requests import services as requests
from entraide.help_requests.kinds import Channel
from entraide.help_requests.models import HelpRequest
from entraide.matching.geo import cell_of
from entraide.volunteers.models import ALWAYS_AVAILABLE, VolunteerProfile

PASSWORD = "entraide-demo"  # noqa: S105 - demo accounts on a local machine, printed on purpose
DOMAIN = "demo.entraide.org"

# (town, country, lat, lon, main languages)
PLACES = [
    ("Bruxelles", "BE", 50.8467, 4.3525, ["fr", "nl"]),
    ("Ixelles", "BE", 50.8333, 4.3667, ["fr", "en"]),
    ("Schaerbeek", "BE", 50.8676, 4.3773, ["fr", "nl", "tr"]),
    ("Etterbeek", "BE", 50.8361, 4.3864, ["fr", "en"]),
    ("Saint-Gilles", "BE", 50.8276, 4.3439, ["fr", "pt", "es"]),
    ("Anderlecht", "BE", 50.8365, 4.3082, ["fr", "nl", "ar"]),
    ("Molenbeek-Saint-Jean", "BE", 50.8549, 4.3229, ["fr", "ar", "nl"]),
    ("Jette", "BE", 50.8778, 4.3258, ["nl", "fr"]),
    ("Uccle", "BE", 50.8009, 4.3373, ["fr", "nl"]),
    ("Woluwe-Saint-Lambert", "BE", 50.8434, 4.4263, ["fr", "nl", "en"]),
    ("Paris", "FR", 48.8566, 2.3522, ["fr", "en"]),
    ("Paris", "FR", 48.8867, 2.3431, ["fr", "ar"]),
    ("Paris", "FR", 48.8325, 2.3556, ["fr", "en"]),
    ("Montreuil", "FR", 48.8638, 2.4485, ["fr", "pt"]),
    ("Vincennes", "FR", 48.8474, 2.4396, ["fr", "en"]),
    ("Saint-Denis", "FR", 48.9362, 2.3574, ["fr", "ar"]),
]
FIRST_NAMES = {
    "fr": ["Camille", "Léa", "Hugo", "Chloé", "Louis", "Manon", "Nathan", "Inès", "Jules", "Sarah"],
    "nl": ["Lotte", "Wout", "Fien", "Ruben", "Noor", "Arne", "Lien", "Jens", "Elke", "Pieter"],
    "en": ["Emma", "Oliver", "Grace", "Thomas"],
}
REQUESTS = [
    ("groceries", "Pain, lait, fruits et soupe pour la semaine. Je paie par virement.", "fr"),
    ("pharmacy", "Aller chercher mon traitement à la pharmacie, l'ordonnance est prête.", "fr"),
    ("phone_call", "Ik woon alleen en zou graag af en toe iemand spreken.", "nl"),
    ("meal", "Un repas chaud le midi pendant ma convalescence.", "fr"),
    ("errand", "Poster deux lettres recommandées à La Poste.", "fr"),
    ("groceries", "Boodschappen: brood, melk, groenten. Ik betaal contant.", "nl"),
    (
        "nursing_home",
        "Maison de repos : aider à organiser des appels vidéo avec les familles.",
        "fr",
    ),
    ("phone_call", "I would like someone to call me once a week, I speak English.", "en"),
    ("pharmacy", "Apotheek: mijn medicatie ophalen, voorschrift ligt klaar.", "nl"),
    ("other", "Aide pour remplir un formulaire administratif en ligne.", "fr"),
]


class Command(BaseCommand):
    help = "Load the Brussels + Paris demo data set (safe to run twice)."
    _password_hash: str | None = None

    def handle(self, *args, **options) -> None:
        """Create the demo people and requests unless they already exist, then print log-ins."""
        if User.objects.filter(email=f"admin@{DOMAIN}").exists():
            self.stdout.write("Demo data already loaded.")
        else:
            with transaction.atomic():
                self._load()
        logins = [
            ("staff (back office)", "admin"),
            ("operator (French)", "operateur"),
            ("operator (Dutch)", "operator.nl"),
            ("volunteer (Brussels, FR)", "camille"),
            ("volunteer (Brussels, NL)", "lotte"),
            ("volunteer (Paris)", "hugo"),
        ]
        self.stdout.write(f"\nDemo log-ins (password for all: {PASSWORD})")
        for role, local in logins:
            self.stdout.write(f"  {role:<26}{local}@{DOMAIN}")

    def _user(self, local: str, first_name: str, language: str, **roles: bool) -> User:
        """Create a verified demo user."""
        # Hashing once and reusing the hash keeps loading fast (one slow hash, not seventy).
        if self._password_hash is None:
            self._password_hash = make_password(PASSWORD)
        return User.objects.create(
            email=f"{local}@{DOMAIN}",
            username=f"{local}@{DOMAIN}",
            password=self._password_hash,
            first_name=first_name,
            language=language,
            email_verified_at=timezone.now(),
            **roles,
        )

    def _volunteer(
        self, user: User, place: tuple, rng: random.Random, languages: list[str]
    ) -> None:
        """Give a user a volunteer profile near a place."""
        town, country, lat, lon, _langs = place
        lat += rng.uniform(-0.012, 0.012)
        lon += rng.uniform(-0.018, 0.018)
        kinds = rng.choice([[], [], ["groceries", "pharmacy", "errand"], ["phone_call"], ["meal"]])
        VolunteerProfile.objects.create(
            user=user,
            town=town,
            country=country,
            lat=lat,
            lon=lon,
            cell=cell_of(lat, lon),
            radius_km=rng.choice([2, 3, 5, 5, 8]),
            languages=languages,
            kinds=kinds,
            availability=ALWAYS_AVAILABLE,
            max_open_requests=rng.choice([1, 2, 3]),
            consented_at=timezone.now(),
        )

    def _phone(self, rng: random.Random, country: str) -> str:
        """Return a plausible mobile number in Belgium or France."""
        pairs = " ".join(f"{rng.randint(10, 99)}" for _ in range(4))
        return f"+32 47{pairs[1:]}" if country == "BE" else f"+33 6 {pairs}"

    def _load(self) -> None:
        rng = random.Random(2020)
        self._user("admin", "Admin", "fr", is_staff=True, is_superuser=True)
        operator_fr = self._user("operateur", "Sophie", "fr", is_operator=True)
        self._user("operator.nl", "Jan", "nl", is_operator=True)
        self._user("moderateur", "Marc", "fr", is_moderator=True)
        named = [
            ("camille", "Camille", "fr", PLACES[1], ["fr", "en"]),
            ("lotte", "Lotte", "nl", PLACES[2], ["nl", "fr"]),
            ("hugo", "Hugo", "fr", PLACES[10], ["fr", "en"]),
        ]
        volunteers = []
        for local, first, language, place, languages in named:
            user = self._user(local, first, language)
            self._volunteer(user, place, rng, languages)
            volunteers.append(user)
        for i in range(60):
            place = PLACES[i % len(PLACES)]
            language = rng.choice([lang for lang in place[4] if lang in FIRST_NAMES] or ["fr"])
            first = rng.choice(FIRST_NAMES[language])
            user = self._user(f"volunteer{i:02d}", first, language)
            spoken = sorted({language, *rng.sample(place[4], k=min(2, len(place[4])))})
            self._volunteer(user, place, rng, spoken)
            volunteers.append(user)

        created: list[HelpRequest] = []
        for i in range(24):
            place = PLACES[i % len(PLACES)]
            kind, details, language = REQUESTS[i % len(REQUESTS)]
            by_phone = i % 3 == 0
            created.append(
                requests.help_request_create(
                    kind=kind,
                    details=details,
                    urgency=rng.choice(["within_hours", "today", "this_week", "flexible"]),
                    languages=[language],
                    requester_name=rng.choice(
                        [
                            "Mme Dupont",
                            "M. Janssens",
                            "Mme Peeters",
                            "M. Martin",
                            "Mme Lambert",
                            "M. Dubois",
                            "Mme Claes",
                            "M. Moreau",
                        ]
                    ),
                    requester_phone=self._phone(rng, place[1]),
                    requester_email="" if by_phone else f"demandeur{i:02d}@{DOMAIN}",
                    town=place[0],
                    country=place[1],
                    lat=place[2] + rng.uniform(-0.01, 0.01),
                    lon=place[3] + rng.uniform(-0.015, 0.015),
                    consent=True,
                    channel=Channel.PHONE if by_phone else Channel.WEB,
                    actor=operator_fr if by_phone else None,
                )
            )
        # Move requests through every state with the same services the web pages use.
        by_volunteer = {v.pk: v for v in volunteers}
        pool = list(by_volunteer.values())
        for index, help_request in enumerate(created):
            stage = index % 8
            if stage in (0, 1):
                continue  # new: the worker sends the first wave when it starts
            holder = next(
                v for v in pool if set(v.volunteer_profile.languages) & set(help_request.languages)
            )
            if stage == 2:
                requests.help_request_cancel(
                    help_request=help_request, channel=Channel.WEB, reason="Ma fille est passée."
                )
                continue
            if stage == 3:
                HelpRequest.objects.filter(pk=help_request.pk).update(
                    expires_at=timezone.now() - timedelta(minutes=1)
                )
                help_request.refresh_from_db()
                requests.help_request_expire(help_request=help_request)
                continue
            requests.help_request_take(help_request=help_request, volunteer=holder)
            pool.remove(holder)
            pool.append(holder)
            if stage >= 5:
                requests.help_request_mark_done(
                    help_request=help_request, actor=holder, report="Courses livrées, tout va bien."
                )
            if stage >= 6:
                requests.help_request_confirm(help_request=help_request, channel=Channel.EMAIL)
        self.stdout.write(
            f"Loaded {len(volunteers)} volunteers, 4 staff/operators/moderators, "
            f"{len(created)} help requests."
        )
