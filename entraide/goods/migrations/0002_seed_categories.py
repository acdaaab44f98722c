"""The shared catalogue of goods categories, with their default meal and CO₂ factors."""

from decimal import Decimal

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

FOOD_CO2 = (
    "FAO, Food wastage footprint (2013): 3.3 Gt CO₂e for 1.3 Gt of food wasted, about "
    "2.5 kg CO₂e per kg of food not thrown away. A default: set your territory's own."
)
NO_CO2 = "No default factor: set one here with its source before showing CO₂ for it."

# code, French, Dutch, English, food, needs cold (food: 2 meals and 2.5 kg CO₂ per kg)
CATEGORIES = [
    ("fresh_food", "Produits frais", "Verse producten", "Fresh food", True, False),
    ("chilled", "Produits réfrigérés", "Gekoelde producten", "Chilled food", True, True),
    ("frozen", "Surgelés", "Diepvriesproducten", "Frozen food", True, True),
    ("dry_food", "Épicerie sèche", "Droge voeding", "Dry food", True, False),
    ("bakery", "Pain et viennoiseries", "Brood en gebak", "Bread and pastries", True, False),
    ("hygiene", "Hygiène", "Hygiëne", "Hygiene", False, False),
    ("baby", "Puériculture", "Babyartikelen", "Baby care", False, False),
    ("textile", "Textile", "Textiel", "Textile", False, False),
    ("furniture", "Mobilier", "Meubilair", "Furniture", False, False),
    ("books", "Livres", "Boeken", "Books", False, False),
    ("medical", "Matériel médical", "Medisch materiaal", "Medical equipment", False, False),
    (
        "protective",
        "Équipements de protection",
        "Beschermingsmiddelen",
        "Protective equipment",
        False,
        False,
    ),
]


def seed(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Create the categories that are missing (staff may have added or renamed some)."""
    category_model = apps.get_model("goods", "Category")
    for position, (code, fr, nl, en, is_food, needs_cold) in enumerate(CATEGORIES):
        category_model.objects.get_or_create(
            code=code,
            defaults={
                "name_fr": fr,
                "name_nl": nl,
                "name_en": en,
                "is_food": is_food,
                "needs_cold": needs_cold,
                "meal_factor_per_kg": Decimal("2") if is_food else Decimal("0"),
                "co2_kg_per_kg": Decimal("2.5") if is_food else Decimal("0"),
                "co2_method": FOOD_CO2 if is_food else NO_CO2,
                "position": position * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("goods", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
