"""Load a realistic Brussels + Paris demo: people, requests, organisations and missions."""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from entraide.accounts.models import User
from entraide.help_requests import services as requests
from entraide.help_requests.kinds import Channel
from entraide.help_requests.models import HelpRequest
from entraide.matching.geo import cell_of
from entraide.missions import services as missions
from entraide.missions.models import Application, Mission, MissionSlot
from entraide.organisations import services as organisations
from entraide.organisations.models import Organisation, Territory
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
            self.stdout.write("Demo people and requests already loaded.")
        else:
            with transaction.atomic():
                self._load()
        # Checked apart so that a database loaded before organisations existed gets them too.
        if User.objects.filter(email=f"asso@{DOMAIN}").exists():
            self.stdout.write("Demo organisations and missions already loaded.")
        else:
            with transaction.atomic():
                self._load_organisations()
        logins = [
            ("staff (back office)", "admin"),
            ("operator (French)", "operateur"),
            ("operator (Dutch)", "operator.nl"),
            ("moderator (Brussels, Paris)", "moderateur"),
            ("volunteer (Brussels, FR)", "camille"),
            ("volunteer (Brussels, NL)", "lotte"),
            ("volunteer (Paris)", "hugo"),
            ("association administrator", "asso"),
            ("nursing home administrator", "tilleuls"),
            ("company administrator", "entreprise"),
        ]
        self.stdout.write(f"\nDemo log-ins (password for all: {PASSWORD})")
        for role, local in logins:
            self.stdout.write(f"  {role:<29}{local}@{DOMAIN}")

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

    def _load_organisations(self) -> None:
        """Create territories, organisations, missions, applications and hours via the services."""
        moderator = User.objects.get(email=f"moderateur@{DOMAIN}")
        territories = {}
        for name, country, time_zone in DEMO_TERRITORIES:
            territory, _created = Territory.objects.get_or_create(
                name=name, defaults={"country": country, "time_zone": time_zone}
            )
            territory.moderators.add(moderator)
            territories[name] = territory
        created: dict[str, Organisation] = {}
        admins: dict[str, User] = {}
        for local, first, language, verify, fields in DEMO_ORGANISATIONS:
            admin = self._user(local, first, language)
            organisation = organisations.organisation_register(
                user=admin, territory=territories[fields["territory"]], **fields["details"]
            )
            if verify:
                organisations.organisation_verify(organisation=organisation, moderator=moderator)
            created[local] = organisation
            admins[local] = admin
        volunteers = list(
            User.objects.filter(volunteer_profile__isnull=False).order_by("email")[:24]
        )
        today = timezone.localdate()
        missions_made: list[Mission] = []
        for local, fields, slot_plan in DEMO_MISSIONS:
            organisation = created[local]
            mission = missions.mission_create(
                organisation=organisation,
                actor=admins[local],
                country=organisation.country,
                **fields,
            )
            zone = ZoneInfo(organisation.territory.time_zone)
            for day_offset, start_hour, hours, capacity in slot_plan:
                starts_at = datetime.combine(
                    today + timedelta(days=day_offset), time(start_hour), tzinfo=zone
                )
                missions.slot_add(
                    mission=mission,
                    actor=admins[local],
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=hours),
                    capacity=capacity,
                )
            missions.mission_submit(mission=mission, actor=admins[local])
            missions_made.append(mission)
        self._apply_and_answer(missions_made, volunteers, admins)
        self._past_participations(created["asso"], admins["asso"], volunteers, today)
        self.stdout.write(
            f"Loaded {len(territories)} territories, {len(created)} organisations, "
            f"{len(missions_made) + 1} missions, {Application.objects.count()} applications."
        )

    def _apply_and_answer(
        self, made: list[Mission], volunteers: list[User], admins: dict[str, User]
    ) -> None:
        """Have volunteers apply to the public missions and answer in every possible way."""
        by_organisation = {
            admin.memberships.get().organisation_id: admin for admin in admins.values()
        }
        cursor = 0
        for mission in made:
            if mission.status != Mission.Status.PUBLISHED or mission.is_internal:
                continue
            manager = by_organisation[mission.organisation_id]
            for index, slot in enumerate(mission.slots.order_by("starts_at")[:2]):
                applicants = []
                for _turn in range(slot.capacity + 1):
                    volunteer = volunteers[cursor % len(volunteers)]
                    cursor += 1
                    applicants.append(
                        missions.application_submit(
                            slot=slot,
                            volunteer=volunteer,
                            message="Disponible, avec plaisir !",
                        )
                    )
                # The first slot ends full (one volunteer waits for a place); the second keeps
                # applications waiting, one declined and one withdrawn.
                if index == 0:
                    for application in applicants[: slot.capacity]:
                        missions.application_accept(application=application, actor=manager)
                    applied = {application.volunteer_id for application in applicants}
                    waiting = next(v for v in volunteers if v.pk not in applied)
                    missions.application_submit(slot=slot, volunteer=waiting)
                else:
                    missions.application_decline(
                        application=applicants[0],
                        actor=manager,
                        reason="Nous avons déjà assez de monde ce jour-là, merci !",
                    )
                    missions.application_withdraw(
                        application=applicants[1], volunteer=applicants[1].volunteer
                    )

    def _past_participations(
        self, organisation: Organisation, manager: User, volunteers: list[User], today: date
    ) -> None:
        """Give a mission a slot that already took place, with confirmed hours."""
        mission = missions.mission_create(
            organisation=organisation,
            actor=manager,
            title="Collecte de vêtements d'hiver",
            description="Trier et ranger les dons de vêtements chauds au dépôt.",
            theme="homeless",
            town="Bruxelles",
            country=organisation.country,
            skills=["tri", "manutention"],
        )
        starts_at = timezone.now() + timedelta(hours=1)
        slot = missions.slot_add(
            mission=mission,
            actor=manager,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3),
            capacity=3,
        )
        missions.mission_submit(mission=mission, actor=manager)
        accepted = []
        for volunteer in volunteers[-4:-1]:
            application = missions.application_submit(slot=slot, volunteer=volunteer)
            accepted.append(missions.application_accept(application=application, actor=manager))
        # The services only take slots in the future and hours once a slot has started, as
        # in real life; the demo moves this slot back a week so that it can show hours given.
        week_ago = timezone.now() - timedelta(days=7)
        MissionSlot.objects.filter(pk=slot.pk).update(
            starts_at=week_ago, ends_at=week_ago + timedelta(hours=3)
        )
        for application, hours in zip(accepted, ("3", "2.5", "3"), strict=True):
            application.refresh_from_db()
            missions.participation_confirm(application=application, hours=hours, actor=manager)
        missions.mission_close(mission=mission, actor=manager, reason="Collecte terminée.")


DEMO_TERRITORIES = [
    ("Bruxelles-Capitale", "BE", "Europe/Brussels"),
    ("Île-de-France", "FR", "Europe/Paris"),
]
# (log-in, first name, language, verified?, what is registered)
DEMO_ORGANISATIONS: list[tuple[str, str, str, bool, dict]] = [
    (
        "asso",
        "Nadia",
        "fr",
        True,
        {
            "territory": "Bruxelles-Capitale",
            "details": {
                "name": "Les Petits Riens Solidaires",
                "kind": "association",
                "town": "Bruxelles",
                "description": "Vêtements, repas et accompagnement des personnes sans abri.",
                "email": f"contact.riens@{DOMAIN}",
                "registration_number": "0410.000.001",
            },
        },
    ),
    (
        "seniors",
        "Koen",
        "nl",
        True,
        {
            "territory": "Bruxelles-Capitale",
            "details": {
                "name": "Senioren Samen Ixelles",
                "kind": "association",
                "town": "Ixelles",
                "description": "Boodschappen en gezelschap voor alleenstaande ouderen.",
            },
        },
    ),
    (
        "restos.paris",
        "Julie",
        "fr",
        True,
        {
            "territory": "Île-de-France",
            "details": {
                "name": "Repas Solidaires Paris",
                "kind": "association",
                "town": "Paris",
                "description": "Distribution de repas chauds aux personnes isolées.",
            },
        },
    ),
    (
        "potager",
        "Elias",
        "fr",
        False,
        {
            "territory": "Bruxelles-Capitale",
            "details": {
                "name": "Le Potager Partagé de Schaerbeek",
                "kind": "association",
                "town": "Schaerbeek",
                "description": "Un potager de quartier pour les épiceries sociales.",
            },
        },
    ),
    (
        "tilleuls",
        "Anne",
        "fr",
        True,
        {
            "territory": "Bruxelles-Capitale",
            "details": {
                "name": "Maison de repos Les Tilleuls",
                "kind": "health_facility",
                "town": "Uccle",
                "description": "Maison de repos de 80 résidents.",
            },
        },
    ),
    (
        "lilas",
        "Martine",
        "fr",
        True,
        {
            "territory": "Île-de-France",
            "details": {
                "name": "EHPAD Les Lilas",
                "kind": "health_facility",
                "town": "Paris",
                "description": "Établissement pour personnes âgées dépendantes.",
            },
        },
    ),
    (
        "entreprise",
        "Claire",
        "fr",
        True,
        {
            "territory": "Île-de-France",
            "details": {
                "name": "Demo Corp",
                "kind": "company",
                "town": "Paris",
                "description": "Nos salariés donnent de leur temps et de leurs compétences.",
            },
        },
    ),
]
# (organisation log-in, mission fields, slots as (days from today, start hour, hours, places))
DEMO_MISSIONS: list[tuple[str, dict, list[tuple[int, int, int, int]]]] = [
    (
        "asso",
        {
            "title": "Tri de vêtements au dépôt",
            "description": "Trier les dons, préparer les colis pour les maraudes du soir.",
            "theme": "homeless",
            "town": "Bruxelles",
            "skills": ["tri"],
            "practical_information": "Sonnez à l'entrée des livraisons, rue Américaine.",
            "contact_name": "Nadia",
        },
        [(2, 9, 3, 2), (5, 9, 3, 3), (9, 14, 3, 3), (12, 9, 3, 3)],
    ),
    (
        "asso",
        {
            "title": "Appels de convivialité",
            "description": "Appeler chaque semaine des personnes âgées isolées pour prendre des "
            "nouvelles.",
            "theme": "seniors",
            "is_remote": True,
            "languages": ["fr", "nl"],
        },
        [(1, 10, 2, 2), (8, 10, 2, 4)],
    ),
    (
        "seniors",
        {
            "title": "Boodschappen voor ouderen",
            "description": "Boodschappen doen voor ouderen die het huis niet uit kunnen.",
            "theme": "seniors",
            "town": "Ixelles",
            "languages": ["nl", "fr"],
        },
        [(3, 10, 2, 2), (10, 10, 2, 2)],
    ),
    (
        "restos.paris",
        {
            "title": "Distribution de repas chauds",
            "description": "Servir et distribuer des repas chauds le soir.",
            "theme": "food",
            "town": "Paris",
            "min_age": 16,
        },
        [(1, 18, 3, 3), (4, 18, 3, 4), (11, 18, 3, 4)],
    ),
    (
        "potager",
        {
            "title": "Récolte au potager",
            "description": "Récolter les légumes et les porter à l'épicerie sociale.",
            "theme": "food",
            "town": "Schaerbeek",
        },
        [(6, 9, 3, 4)],
    ),
    (
        "tilleuls",
        {
            "title": "Appels vidéo avec les familles",
            "description": "Aider les résidents à appeler leur famille sur tablette.",
            "theme": "seniors",
            "town": "Uccle",
            "background_check_required": True,
        },
        [(2, 14, 2, 2), (7, 14, 2, 2), (13, 14, 2, 2)],
    ),
    (
        "lilas",
        {
            "title": "Animation et lecture",
            "description": "Lire le journal et animer un atelier mémoire avec les résidents.",
            "theme": "seniors",
            "town": "Paris",
        },
        [(3, 15, 2, 2), (10, 15, 2, 2)],
    ),
    (
        "entreprise",
        {
            "title": "Mentorat CV à distance",
            "description": "Relire des CV et préparer des entretiens d'embauche en visio.",
            "theme": "employment",
            "is_remote": True,
            "skills": ["recrutement", "rédaction"],
        },
        [(2, 12, 1, 3), (9, 12, 1, 3)],
    ),
    (
        "entreprise",
        {
            "title": "Renfort logistique interne",
            "description": "Renfort des équipes d'entrepôt pendant la crise (salariés).",
            "theme": "other",
            "town": "Paris",
            "is_internal": True,
        },
        [(1, 8, 4, 5), (8, 8, 4, 5)],
    ),
]
