"""Load the demo through the services: people, requests, organisations, missions, a company."""

import io
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from entraide.accounts.models import User
from entraide.companies import services as companies
from entraide.companies.models import Employee
from entraide.core.phones import normalise_phone
from entraide.core.vocabulary import Channel
from entraide.demo.data import (
    DEMO_DONORS,
    DEMO_MISSIONS,
    DEMO_ORGANISATIONS,
    DEMO_TERRITORIES,
    DOMAIN,
    FIRST_NAMES,
    PASSWORD,
    PLACES,
    REQUESTS,
)
from entraide.dropoff import collection_services as home_collection
from entraide.dropoff import services as dropoff
from entraide.dropoff.collection_selectors import estimate
from entraide.dropoff.models import CollectionRule, CollectionSlot, DropoffPoint, FillLevel
from entraide.goods import services as goods
from entraide.goods.models import Category, Lot, Need, Offer, OfferStatus, Pickup, PickupStatus
from entraide.help_requests import services as requests
from entraide.help_requests.models import HelpRequest
from entraide.missions import services as missions
from entraide.missions.models import Application, Mission, MissionSlot
from entraide.money import services as money
from entraide.money.models import Fund
from entraide.organisations import services as organisations
from entraide.organisations.models import Organisation, Territory
from entraide.receipts import services as receipts
from entraide.receipts.models import IssuerProfile, Receipt, Regime
from entraide.volunteers.models import ALWAYS_AVAILABLE, VolunteerProfile

# What the demo associations' receipts say: a Belgian acknowledgement, a French tax receipt.
DEMO_ISSUERS: dict[str, dict[str, str]] = {
    "BE": {
        "legal_name": "Les Petits Riens Solidaires ASBL",
        "address": "Rue Haute 120",
        "postcode": "1000",
        "town": "Bruxelles",
        "country": "BE",
        "registration_number": "0412.345.678",
        "purpose": "Aide alimentaire et lutte contre le gaspillage",
        "regime": Regime.BE_ACKNOWLEDGEMENT,
        "signatory_name": "Anne Dupont",
        "signatory_role": "Présidente",
    },
    "FR": {
        "legal_name": "Repas Solidaires Paris",
        "address": "12 rue Oberkampf",
        "postcode": "75011",
        "town": "Paris",
        "country": "FR",
        "registration_number": "732 829 320",
        "purpose": "Distribution de repas aux personnes en difficulté",
        "regime": Regime.FR_GENERAL_INTEREST,
        "signatory_name": "Paul Martin",
        "signatory_role": "Trésorier",
    },
}


class DemoLoader:
    """Create the demo through the same services as the web pages, each part only once."""

    def __init__(self, stdout: Any) -> None:
        self.stdout = stdout
        self._password_hash: str | None = None

    def run(self) -> None:
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
        if Employee.objects.filter(user__email=f"salarie@{DOMAIN}").exists():
            self.stdout.write("Demo company employees already loaded.")
        else:
            with transaction.atomic():
                self._load_company()
        if User.objects.filter(email=f"boulangerie@{DOMAIN}").exists():
            self.stdout.write("Demo goods already loaded.")
        else:
            with transaction.atomic():
                self._load_goods()
        if IssuerProfile.objects.exists():
            self.stdout.write("Demo receipts already loaded.")
        else:
            with transaction.atomic():
                self._load_receipts()
        if User.objects.filter(email=f"hote@{DOMAIN}").exists():
            self.stdout.write("Demo drop-off points already loaded.")
        else:
            with transaction.atomic():
                self._load_dropoff()
        if CollectionRule.objects.exists():
            self.stdout.write("Demo home collections already loaded.")
        else:
            with transaction.atomic():
                self._load_home_collection()
        if Fund.objects.filter(slug=DEMO_FUND_SLUG).exists():
            self.stdout.write("Demo solidarity fund already loaded.")
        else:
            with transaction.atomic():
                _load_fund(self)
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
            ("company administrator (HR)", "entreprise"),
            ("company manager", "manager"),
            ("company employee", "salarie"),
            ("shop giving surplus goods", "boulangerie"),
            ("drop-off point host (shops)", "hote"),
            ("drop-off point host (mairies)", "mairie"),
            ("donor with a home collection", "donatrice"),
            ("solidarity fund staff", "fonds"),
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
        town, postcode, country, lat, lon, _langs = place
        lat += rng.uniform(-0.012, 0.012)
        lon += rng.uniform(-0.018, 0.018)
        kinds = rng.choice([[], [], ["groceries", "pharmacy", "errand"], ["phone_call"], ["meal"]])
        user.phone = self._volunteer_phone(user, country)
        user.save(update_fields=["phone"])
        VolunteerProfile.objects.create(
            user=user,
            town=town,
            postcode=postcode,
            country=country,
            **VolunteerProfile.position_values(lat, lon),
            radius_km=rng.choice([2, 3, 5, 5, 8]),
            languages=languages,
            kinds=kinds,
            availability=ALWAYS_AVAILABLE,
            max_open_requests=rng.choice([1, 2, 3]),
            consented_at=timezone.now(),
        )

    def _volunteer_phone(self, user: User, country: str) -> str:
        """Return a volunteer's mobile number in E.164, the same at every load."""
        # A generator of its own, so that the rest of the demo stays the same as before;
        # French numbers stay in 06 1x, where every number is a valid one.
        digits = f"{random.Random(user.email).randint(0, 999_999):06d}"
        return normalise_phone(f"+32 477 {digits}" if country == "BE" else f"+33 6 12 {digits}")

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
            language = rng.choice([lang for lang in place[5] if lang in FIRST_NAMES] or ["fr"])
            first = rng.choice(FIRST_NAMES[language])
            user = self._user(f"volunteer{i:02d}", first, language)
            spoken = sorted({language, *rng.sample(place[5], k=min(2, len(place[5])))})
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
                    requester_phone=self._phone(rng, place[2]),
                    requester_email="" if by_phone else f"demandeur{i:02d}@{DOMAIN}",
                    town=place[0],
                    postcode=place[1],
                    country=place[2],
                    lat=place[3] + rng.uniform(-0.01, 0.01),
                    lon=place[4] + rng.uniform(-0.015, 0.015),
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
            postcode="1000",
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

    def _load_company(self) -> None:
        """Give Demo Corp employees, a manager, work time, a top-up rule and a ledger."""
        hr = User.objects.get(email=f"entreprise@{DOMAIN}")
        company = Organisation.objects.get(memberships__user=hr, kind=Organisation.Kind.COMPANY)
        profile = companies.company_profile_set(
            company=company,
            actor=hr,
            email_domains=["democorp.example"],
            yearly_allowance_hours="14",
        )
        manager = self._user("manager", "Karim", "fr")
        employee_user = self._user("salarie", "Inès", "fr")
        self._volunteer(employee_user, PLACES[10], random.Random(7), ["fr", "en"])
        manager_employee = companies.employee_join(user=manager, code=profile.invitation_code)
        companies.employee_update(
            employee=manager_employee, actor=hr, site="Paris", department="Logistique"
        )
        employee = companies.employee_join(user=employee_user, code=profile.invitation_code)
        companies.employee_update(
            employee=employee, actor=hr, site="Paris", department="Logistique", manager=manager
        )
        companies.topup_rule_set(
            company=company,
            actor=hr,
            kind="per_hour",
            amount_cents=1500,
            cap_cents=30000,
            valid_from=timezone.localdate() - timedelta(days=30),
        )
        # Inès gives a morning to an association on work time; her manager approves it and
        # the association confirms her hours, so the company owes its top-up.
        association_admin = User.objects.get(email=f"restos.paris@{DOMAIN}")
        association = Organisation.objects.get(memberships__user=association_admin)
        mission = association.missions.filter(status=Mission.Status.PUBLISHED).first()
        if mission is None:
            return
        starts_at = timezone.now() + timedelta(hours=2)
        slot = missions.slot_add(
            mission=mission,
            actor=association_admin,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3),
            capacity=2,
        )
        application = missions.application_submit(
            slot=slot, volunteer=employee_user, message="Sur mon temps de travail."
        )
        request = companies.work_time_request(employee=employee, application=application, hours="3")
        companies.work_time_decide(request=request, actor=manager, approve=True)
        missions.application_accept(application=application, actor=association_admin)
        # Hours are confirmed once a slot has started; move this one back like the demo's
        # other past slot (see _past_participations).
        yesterday = timezone.now() - timedelta(days=1)
        MissionSlot.objects.filter(pk=slot.pk).update(
            starts_at=yesterday, ends_at=yesterday + timedelta(hours=3)
        )
        application.refresh_from_db()
        missions.participation_confirm(application=application, hours="3", actor=association_admin)
        companies.topups_accrue(company=company)
        companies.topup_pay(
            company=company,
            association=association,
            amount_cents=1500,
            actor=hr,
            note="Premier virement",
        )
        self.stdout.write("Loaded Demo Corp: 2 employees, a top-up rule, work time and a ledger.")

    def _load_goods(self) -> None:
        """Create shops, lots (one weekly), needs, an offer accepted in part, a received pickup."""
        moderator = User.objects.get(email=f"moderateur@{DOMAIN}")
        donors: dict[str, tuple[Organisation, User]] = {}
        for local, first, language, territory, details in DEMO_DONORS:
            admin = self._user(local, first, language)
            shop = organisations.organisation_register(
                user=admin, territory=Territory.objects.get(name=territory), **details
            )
            organisations.organisation_verify(organisation=shop, moderator=moderator)
            donors[local] = (shop, admin)
        asso = User.objects.get(email=f"asso@{DOMAIN}")
        paris = User.objects.get(email=f"restos.paris@{DOMAIN}")
        riens = asso.memberships.get().organisation
        repas = paris.memberships.get().organisation
        category = {c.code: c for c in Category.objects.all()}
        today = timezone.localdate()
        for organisation, admin, code, kg in (
            (riens, asso, "bakery", 60),
            (riens, asso, "hygiene", 20),
            (repas, paris, "fresh_food", 80),
        ):
            goods.need_declare(
                organisation=organisation,
                actor=admin,
                channel=Channel.WEB,
                category=category[code],
                kg=kg,
                by_date=today + timedelta(days=7),
                radius_km=15,
            )
        # An operator entered a need for a caller of the phone line.
        goods.need_declare(
            organisation=riens,
            actor=User.objects.get(email=f"operateur@{DOMAIN}"),
            channel=Channel.PHONE,
            category=category["baby"],
            kg=15,
            by_date=today + timedelta(days=10),
            radius_km=10,
        )
        tomorrow = timezone.now() + timedelta(days=1)
        window = (
            tomorrow.replace(minute=0, second=0, microsecond=0),
            tomorrow + timedelta(hours=4),
        )
        shop, sami = donors["boulangerie"]
        primeur, lea = donors["primeur.paris"]
        lots = [
            goods.lot_declare(
                actor=actor,
                channel=Channel.WEB,
                category=category[code],
                donor_organisation=donor,
                description=description,
                windows=[window],
                weight_kg=kg,
                weight_band=band,
            )
            for donor, actor, code, description, kg, band in (
                (shop, sami, "bakery", "Pain de la veille", "40", ""),
                (shop, sami, "hygiene", "Savons et dentifrice", None, "5_20"),
                (primeur, lea, "fresh_food", "Légumes du marché", "120", ""),
            )
        ]
        for lot, colour in ((lots[0], "#c8893b"), (lots[2], "#4f8a3c")):
            goods.lot_photo_add(
                lot=lot, upload=_drawn_photo(colour), actor=lot.created_by, channel=Channel.WEB
            )
        bread = lots[0]
        goods.lot_series_create(
            actor=sami,
            channel=Channel.WEB,
            category=category["bakery"],
            donor_organisation=shop,
            weekdays=[1],
            window_start=time(18),
            window_end=time(20),
            typical_kg=Decimal("40"),
            starts_on=today,
            description="Pain du mardi soir",
        )
        # The Brussels association takes part of the bread, then collects and receives it.
        offer = Offer.objects.filter(lot=bread, need__organisation=riens).first()
        if offer is not None:
            offer = goods.offer_accept(
                offer=offer, actor=asso, channel=Channel.WEB, kg=min(25, offer.kg_proposed)
            )
            pickup = goods.pickup_plan(
                offers=[offer],
                starts_at=window[0],
                ends_at=window[0] + timedelta(hours=1),
                mode="self",
                actor=asso,
                channel=Channel.WEB,
            )
            goods.pickup_record(
                pickup=pickup,
                collected={"bakery": offer.kg_accepted},
                actor=asso,
                channel=Channel.WEB,
            )
            goods.pickup_confirm_receipt(pickup=pickup, actor=asso, channel=Channel.WEB)
        self._load_goods_round(repas, paris, donors, window)
        self.stdout.write(
            f"Loaded {Lot.objects.count()} lots, {Need.objects.count()} needs, "
            f"{Offer.objects.count()} offers."
        )

    def _load_goods_round(
        self,
        repas: Organisation,
        admin: User,
        donors: dict[str, tuple[Organisation, User]],
        window: tuple[datetime, datetime],
    ) -> None:
        """Plan tomorrow's round of the Paris association to three shops, driven by Hugo."""
        category = Category.objects.get(code="dry_food")
        goods.need_declare(
            organisation=repas,
            actor=admin,
            channel=Channel.WEB,
            category=category,
            kg=80,
            by_date=timezone.localdate() + timedelta(days=7),
            radius_km=15,
        )
        for local, description, kg in (
            ("epicerie.paris", "Conserves et pâtes", "50"),
            ("superette.paris", "Riz et légumes secs", "30"),
        ):
            shop, shop_admin = donors[local]
            goods.lot_declare(
                actor=shop_admin,
                channel=Channel.WEB,
                category=category,
                donor_organisation=shop,
                description=description,
                windows=[window],
                weight_kg=Decimal(kg),
            )
        accepted = [
            goods.offer_accept(offer=offer, actor=admin, channel=Channel.WEB)
            for offer in Offer.objects.filter(
                need__organisation=repas, status=OfferStatus.PROPOSED
            ).order_by("pk")
        ]
        collection_round = goods.round_plan(
            organisation=repas,
            offers=accepted,
            starts_at=window[0],
            ends_at=window[1],
            name="Tournée des commerces",
            vehicle="Camionnette Kangoo",
            capacity_kg=Decimal("400"),
            actor=admin,
            channel=Channel.WEB,
        )
        goods.round_assign_driver(
            collection_round=collection_round,
            email=f"hugo@{DOMAIN}",
            actor=admin,
            channel=Channel.WEB,
        )

    def _load_receipts(self) -> None:
        """Set up receipts for the Brussels and Paris associations; issue one for the bread."""
        asso = User.objects.get(email=f"asso@{DOMAIN}")
        paris = User.objects.get(email=f"restos.paris@{DOMAIN}")
        for admin, details in (
            (asso, DEMO_ISSUERS["BE"]),
            (paris, DEMO_ISSUERS["FR"]),
        ):
            receipts.issuer_profile_save(
                organisation=admin.memberships.get().organisation, actor=admin, **details
            )
        received = Pickup.objects.filter(
            organisation=asso.memberships.get().organisation, status=PickupStatus.RECEIVED
        ).first()
        if received is not None:
            receipts.receipt_issue_for_pickup(pickup=received, actor=asso, channel=Channel.WEB)
        self.stdout.write(f"Loaded {Receipt.objects.count()} gift receipt.")

    def _load_dropoff(self) -> None:
        """Open about 60 drop-off points in Paris (shops, town halls) and 5 in Brussels."""
        moderator = User.objects.get(email=f"moderateur@{DOMAIN}")
        paris = Territory.objects.get(name="Île-de-France")
        brussels = Territory.objects.get(name="Bruxelles-Capitale")
        hosts = {}
        for local, first, details in DEMO_HOSTS:
            admin = self._user(local, first, "fr")
            organisation = organisations.organisation_register(
                user=admin, territory=paris, country="FR", **details
            )
            organisations.organisation_verify(organisation=organisation, moderator=moderator)
            hosts[local] = (organisation, admin)
        category = {c.code: c for c in Category.objects.all()}
        rng = random.Random(2012)
        made: list[tuple[DropoffPoint, User]] = []

        def open_point(
            host: tuple[Organisation, User],
            territory: Territory,
            fields: dict[str, str],
            codes: tuple[str, ...],
            weekly: list[tuple[int, time, time]],
            position: tuple[float, float],
        ) -> None:
            organisation, admin = host
            point = dropoff.point_create(
                organisation=organisation,
                territory=territory,
                categories=[category[code] for code in codes],
                position=position,
                step_free=rng.random() < 0.6,
                actor=admin,
                channel=Channel.WEB,
                **fields,
            )
            dropoff.point_set_hours(point=point, weekly=weekly, actor=admin, channel=Channel.WEB)
            made.append((point, admin))

        town_hall_hours = [(day, time(8, 30), time(17)) for day in range(5)]
        shop_hours = [(day, time(10), time(19)) for day in range(1, 6)]
        for number, postcode, lat, lon, address, _streets in PARIS_AREAS:
            open_point(
                hosts["mairie"],
                paris,
                {
                    "name": "Mairie de Paris Centre"
                    if number == "centre"
                    else f"Mairie du {number} arrondissement",
                    "address": address,
                    "postcode": postcode,
                    "town": "Paris",
                    "country": "FR",
                    "description": "Dans le hall d'accueil, bacs à gauche de l'entrée.",
                },
                ("textile", "books"),
                town_hall_hours,
                (lat, lon),
            )
        for index in range(60 - len(PARIS_AREAS)):
            number, postcode, lat, lon, _address, streets = PARIS_AREAS[index % len(PARIS_AREAS)]
            kind, codes = SHOP_KINDS[index % len(SHOP_KINDS)]
            street = streets[index // len(PARIS_AREAS) % len(streets)]
            open_point(
                hosts["hote"],
                paris,
                {
                    "name": f"{kind} — {street}",
                    "address": f"{rng.randint(2, 120)} {street}",
                    "postcode": postcode,
                    "town": "Paris",
                    "country": "FR",
                },
                codes,
                shop_hours,
                (lat + rng.uniform(-0.006, 0.006), lon + rng.uniform(-0.009, 0.009)),
            )
        riens_admin = User.objects.get(email=f"asso@{DOMAIN}")
        riens = (riens_admin.memberships.get().organisation, riens_admin)
        for name, address, postcode, town, lat, lon in BRUSSELS_POINTS:
            open_point(
                riens,
                brussels,
                {
                    "name": name,
                    "address": address,
                    "postcode": postcode,
                    "town": town,
                    "country": "BE",
                },
                ("textile", "books", "baby"),
                [(day, time(10), time(18)) for day in range(6)],
                (lat, lon),
            )
        # A mix of fill levels: most have room, a few are full (they drop out of the nearest).
        levels = [FillLevel.HALF, FillLevel.NEARLY_FULL, FillLevel.FULL]
        for index, (point, admin) in enumerate(made):
            if index % 4 == 1:
                dropoff.point_set_fill_level(
                    point=point, level=levels[index % 3], actor=admin, channel=Channel.WEB
                )
        # One shop is closed for its inventory (its page says why and until when).
        closed, admin = made[len(PARIS_AREAS)]
        dropoff.point_close(
            point=closed,
            reason="Inventaire annuel : réouverture dans dix jours.",
            until=timezone.localdate() + timedelta(days=10),
            today=timezone.localdate(),
            actor=admin,
            channel=Channel.WEB,
        )
        self.stdout.write(f"Loaded {len(made)} drop-off points.")

    def _load_home_collection(self) -> None:
        """Home-collection rules for Paris and Brussels, two weeks of slots, two bookings."""
        staff = User.objects.get(email=f"admin@{DOMAIN}")
        operator = User.objects.get(email=f"operateur@{DOMAIN}")
        bulky = Category.objects.filter(code__in=["furniture", "appliances", "textile", "books"])
        tomorrow = timezone.localdate() + timedelta(days=1)
        slots: dict[str, list[CollectionSlot]] = {}
        for name, postcodes, weekdays, hours, capacity in HOME_COLLECTION:
            territory = Territory.objects.get(name=name)
            rule = CollectionRule.objects.create(territory=territory, postcodes=postcodes)
            rule.categories.set(bulky)
            zone = territory.zone
            for offset in range(7):
                day = tomorrow + timedelta(days=offset)
                if day.weekday() not in weekdays:
                    continue
                for starts, ends in hours:
                    # Two weeks: this week's slot and the same one a week later.
                    slots.setdefault(name, []).extend(
                        home_collection.slot_create(
                            territory=territory,
                            starts_at=datetime.combine(day, starts, tzinfo=zone),
                            ends_at=datetime.combine(day, ends, tzinfo=zone),
                            capacity=capacity,
                            weeks=2,
                            actor=staff,
                            channel=Channel.WEB,
                        )
                    )
        donor = self._user("donatrice", "Nadia", "fr")

        def first_bookable(name: str) -> int:
            """Return the first slot of the territory past the rules' 48 hours of notice."""
            soon = timezone.now() + timedelta(days=3)
            return min((s for s in slots[name] if s.starts_at > soon), key=lambda s: s.starts_at).pk

        home_collection.booking_create(
            slot_id=first_bookable("Île-de-France"),
            estimate=estimate({"sofa": 1, "wardrobe": 1, "box_of_books": 4}),
            address="5 rue Oberkampf",
            postcode="75011",
            town="Paris",
            country="FR",
            name="Nadia Benali",
            email=donor.email,
            phone="06 12 34 56 78",
            floor=3,
            has_lift=False,
            parking="Place de livraison devant le 7.",
            access_notes="Code 4521B, escalier B.",
            donor=donor,
            actor=donor,
            channel=Channel.WEB,
        )
        home_collection.booking_create(
            slot_id=first_bookable("Bruxelles-Capitale"),
            estimate=estimate({"fridge": 1, "washing_machine": 1, "table": 1, "chair": 4}),
            address="Rue Haute 200",
            postcode="1000",
            town="Bruxelles",
            country="BE",
            name="Marc Dupont",
            email="",
            phone="+32 470 12 34 56",
            floor=0,
            has_lift=False,
            donor=None,
            actor=operator,
            channel=Channel.PHONE,
        )
        self.stdout.write(
            f"Loaded 2 home-collection rules, {sum(len(v) for v in slots.values())} slots "
            "and 2 bookings."
        )


# Home collection per territory: postcodes served, weekdays (0 is Monday), hours, capacity.
HOME_COLLECTION: list[tuple[str, str, set[int], list[tuple[time, time]], int]] = [
    ("Île-de-France", "75 92 93 94", {1, 3, 5}, [(time(9), time(12)), (time(14), time(17))], 4),
    ("Bruxelles-Capitale", "10 11 12", {2, 5}, [(time(9), time(13))], 3),
]

# The drop-off points' hosts: the town halls of Paris and a network of charity shops.
DEMO_HOSTS: list[tuple[str, str, dict[str, str]]] = [
    (
        "mairie",
        "Claire",
        {
            "name": "Mairies d'arrondissement de Paris",
            "kind": "public_body",
            "town": "Paris",
            "postcode": "75004",
            "description": "Les mairies d'arrondissement accueillent des points de dépôt.",
        },
    ),
    (
        "hote",
        "Malik",
        {
            "name": "Boutiques solidaires de Paris",
            "kind": "association",
            "town": "Paris",
            "postcode": "75011",
            "description": "Un réseau de boutiques qui reçoivent vos dons d'objets.",
        },
    ),
]
# Paris's town halls: the arrondissement, postcode, position, address and two nearby streets.
PARIS_AREAS: list[tuple[str, str, float, float, str, tuple[str, ...]]] = [
    (
        "centre",
        "75003",
        48.8631,
        2.3602,
        "2 rue Eugène-Spuller",
        ("rue de Bretagne", "rue Rambuteau"),
    ),
    ("5e", "75005", 48.8462, 2.3445, "21 place du Panthéon", ("rue Mouffetard", "rue Monge")),
    ("6e", "75006", 48.8506, 2.3327, "78 rue Bonaparte", ("rue de Rennes", "rue du Cherche-Midi")),
    ("7e", "75007", 48.8566, 2.3180, "116 rue de Grenelle", ("rue Cler", "rue du Bac")),
    ("8e", "75008", 48.8779, 2.3170, "3 rue de Lisbonne", ("rue de Miromesnil", "rue de Rome")),
    ("9e", "75009", 48.8729, 2.3408, "6 rue Drouot", ("rue des Martyrs", "rue Cadet")),
    (
        "10e",
        "75010",
        48.8718,
        2.3577,
        "72 rue du Faubourg-Saint-Martin",
        ("rue de Paradis", "rue Beaurepaire"),
    ),
    ("11e", "75011", 48.8575, 2.3800, "12 place Léon-Blum", ("rue Oberkampf", "rue de Charonne")),
    (
        "12e",
        "75012",
        48.8406,
        2.3880,
        "130 avenue Daumesnil",
        ("rue de Charenton", "rue Crozatier"),
    ),
    (
        "13e",
        "75013",
        48.8314,
        2.3560,
        "1 place d'Italie",
        ("rue de la Butte-aux-Cailles", "avenue de Choisy"),
    ),
    ("14e", "75014", 48.8330, 2.3265, "2 place Ferdinand-Brunot", ("rue Daguerre", "rue d'Alésia")),
    ("15e", "75015", 48.8413, 2.3002, "31 rue Péclet", ("rue du Commerce", "rue de la Convention")),
    ("16e", "75016", 48.8636, 2.2769, "71 avenue Henri-Martin", ("rue de Passy", "rue d'Auteuil")),
    ("17e", "75017", 48.8837, 2.3219, "16 rue des Batignolles", ("rue des Dames", "rue Legendre")),
    ("18e", "75018", 48.8923, 2.3445, "1 place Jules-Joffrin", ("rue Ordener", "rue Custine")),
    ("19e", "75019", 48.8822, 2.3822, "5 place Armand-Carrel", ("rue de Crimée", "rue de Meaux")),
    (
        "20e",
        "75020",
        48.8650,
        2.3985,
        "6 place Gambetta",
        ("rue des Pyrénées", "rue de Ménilmontant"),
    ),
]
# Each kind of shop and the categories it takes.
SHOP_KINDS: list[tuple[str, tuple[str, ...]]] = [
    ("Friperie solidaire", ("textile",)),
    ("Bouquinerie", ("books",)),
    ("Ressourcerie", ("textile", "books", "baby", "hygiene")),
    ("Boutique solidaire", ("textile", "books", "baby")),
]
BRUSSELS_POINTS: list[tuple[str, str, str, str, float, float]] = [
    ("Les Petits Riens — Rue Haute", "Rue Haute 120", "1000", "Bruxelles", 50.8389, 4.3477),
    ("Boutique solidaire d'Ixelles", "Chaussée d'Ixelles 211", "1050", "Ixelles", 50.8330, 4.3667),
    ("Kringwinkel Schaerbeek", "Chaussée de Haecht 150", "1030", "Schaerbeek", 50.8625, 4.3720),
    ("Dépôt de Saint-Gilles", "Chaussée de Waterloo 35", "1060", "Saint-Gilles", 50.8290, 4.3460),
    ("Seconde main Anderlecht", "Rue Wayez 50", "1070", "Anderlecht", 50.8370, 4.3080),
]


DEMO_FUND_SLUG = "solidarite-independants"


def _load_fund(loader: DemoLoader) -> None:
    """Open a solidarity fund in Paris with its staff and five contributions (money issue)."""
    admin = User.objects.get(email=f"admin@{DOMAIN}")
    staff = loader._user("fonds", "Farida", "fr")
    fund = money.fund_save(
        fund=Fund(
            name="Fonds de solidarité des indépendants",
            slug=DEMO_FUND_SLUG,
            purpose=(
                "Aider les professionnels indépendants en difficulté passagère : "
                "au plus 1 500 € par personne, décidés par un comité de bénévoles."
            ),
            territory=Territory.objects.filter(name="Île-de-France").first(),
            eligibility="Les artisans, commerçants et agriculteurs indépendants d'Île-de-France.",
            documents_required="Une pièce d'identité et un justificatif d'activité.",
            quorum=4,
            majority_percent=50,
        ),
        actor=admin,
    )
    fund.managers.add(staff)
    company = Organisation.objects.filter(kind=Organisation.Kind.COMPANY).first()
    association = Organisation.objects.filter(kind=Organisation.Kind.ASSOCIATION).first()
    today = timezone.localdate()
    gifts: list[tuple[str, Organisation | None, str, int, int, bool]] = [
        ("company", company, "", 2_500_000, 40, True),
        ("organisation", association, "", 300_000, 25, True),
        ("individual", None, "Claire Besson", 15_000, 12, True),
        ("individual", None, "Donateur anonyme", 5_000, 6, False),
        ("company", None, "Coopérative laitière du Vexin", 1_000_000, 2, True),
    ]
    for kind, organisation, name, cents, days_ago, public in gifts:
        money.contribution_record(
            fund=fund,
            contributor_kind=kind,
            contributor_name=name,
            organisation=organisation,
            name_is_public=public,
            amount_cents=cents,
            received_on=today - timedelta(days=days_ago),
            bank_reference=f"VIR-DEMO-{days_ago:03d}",
            idempotency_key=f"demo-{days_ago}",
            actor=staff,
            channel=Channel.WEB,
        )
    loader.stdout.write(f"Loaded the fund {fund.name} with {len(gifts)} contributions.")


def _drawn_photo(colour: str) -> ContentFile[bytes]:
    """Return a simple picture of goods in a crate, drawn with Pillow (no downloaded file)."""
    image = Image.new("RGB", (640, 480), "#f3efe6")
    draw = ImageDraw.Draw(image)
    draw.rectangle((80, 260, 560, 420), fill="#8a5a2b", outline="#5e3b1a", width=6)
    for x in range(120, 540, 90):
        draw.ellipse((x, 170, x + 110, 290), fill=colour, outline="#3b3b3b", width=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return ContentFile(out.getvalue(), name="demo.png")
