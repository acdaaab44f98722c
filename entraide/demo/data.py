"""The demo data set: places, people, requests, organisations and missions (plain values)."""

PASSWORD = "entraide-demo"  # noqa: S105 - demo accounts on a local machine, printed on purpose
DOMAIN = "demo.entraide.org"

# (town, postcode, country, lat, lon, main languages)
PLACES = [
    ("Bruxelles", "1000", "BE", 50.8467, 4.3525, ["fr", "nl"]),
    ("Ixelles", "1050", "BE", 50.8333, 4.3667, ["fr", "en"]),
    ("Schaerbeek", "1030", "BE", 50.8676, 4.3773, ["fr", "nl", "tr"]),
    ("Etterbeek", "1040", "BE", 50.8361, 4.3864, ["fr", "en"]),
    ("Saint-Gilles", "1060", "BE", 50.8276, 4.3439, ["fr", "pt", "es"]),
    ("Anderlecht", "1070", "BE", 50.8365, 4.3082, ["fr", "nl", "ar"]),
    ("Molenbeek-Saint-Jean", "1080", "BE", 50.8549, 4.3229, ["fr", "ar", "nl"]),
    ("Jette", "1090", "BE", 50.8778, 4.3258, ["nl", "fr"]),
    ("Uccle", "1180", "BE", 50.8009, 4.3373, ["fr", "nl"]),
    ("Woluwe-Saint-Lambert", "1200", "BE", 50.8434, 4.4263, ["fr", "nl", "en"]),
    ("Paris", "75004", "FR", 48.8566, 2.3522, ["fr", "en"]),
    ("Paris", "75018", "FR", 48.8867, 2.3431, ["fr", "ar"]),
    ("Paris", "75013", "FR", 48.8325, 2.3556, ["fr", "en"]),
    ("Montreuil", "93100", "FR", 48.8638, 2.4485, ["fr", "pt"]),
    ("Vincennes", "94300", "FR", 48.8474, 2.4396, ["fr", "en"]),
    ("Saint-Denis", "93200", "FR", 48.9362, 2.3574, ["fr", "ar"]),
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
                "postcode": "1000",
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
                "postcode": "1050",
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
                "postcode": "75011",
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
                "postcode": "1030",
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
                "postcode": "1180",
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
                "postcode": "75011",
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
                "postcode": "75011",
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
            "postcode": "1000",
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
            "postcode": "1050",
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
            "postcode": "75011",
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
            "postcode": "1030",
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
            "postcode": "1180",
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
            "postcode": "75011",
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
            "postcode": "75011",
            "is_internal": True,
        },
        [(1, 8, 4, 5), (8, 8, 4, 5)],
    ),
]

# Shops and farms that give surplus goods: (log-in, first name, language, territory, details).
DEMO_DONORS: list[tuple[str, str, str, str, dict]] = [
    (
        "boulangerie",
        "Sami",
        "fr",
        "Bruxelles-Capitale",
        {
            "name": "Boulangerie du Sablon",
            "kind": "company",
            "town": "Bruxelles",
            "postcode": "1000",
            "description": "Pain et viennoiseries du jour, invendus le soir.",
        },
    ),
    (
        "primeur.paris",
        "Léa",
        "fr",
        "Île-de-France",
        {
            "name": "Primeur de la Roquette",
            "kind": "company",
            "town": "Paris",
            "postcode": "75011",
            "description": "Fruits et légumes frais.",
        },
    ),
    (
        "epicerie.paris",
        "Karim",
        "fr",
        "Île-de-France",
        {
            "name": "Épicerie des Abbesses",
            "kind": "company",
            "town": "Paris",
            "postcode": "75018",
            "description": "Épicerie de quartier : conserves, pâtes, riz.",
        },
    ),
    (
        "superette.paris",
        "Nadia",
        "fr",
        "Île-de-France",
        {
            "name": "Supérette des Gobelins",
            "kind": "company",
            "town": "Paris",
            "postcode": "75013",
            "description": "Produits d'épicerie proches de la date limite.",
        },
    ),
]
