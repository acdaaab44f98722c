"""The catalogue of typical objects donors give, with their volumes in m³ (staff edit it)."""

from decimal import Decimal

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# Fridges and washing machines are neither furniture nor textile: the goods catalogue gets
# the category here, where the first objects of that kind appear.
APPLIANCES = ("appliances", "Électroménager", "Huishoudtoestellen", "Household appliances")

# code, French, Dutch, English, goods category, m³ (an estimate of the space in a van)
ITEMS = [
    ("box_of_books", "Carton de livres", "Doos boeken", "Box of books", "books", "0.05"),
    ("bag_of_clothes", "Sac de vêtements", "Zak kleren", "Bag of clothes", "textile", "0.05"),
    ("chair", "Chaise", "Stoel", "Chair", "furniture", "0.3"),
    ("armchair", "Fauteuil", "Fauteuil", "Armchair", "furniture", "0.8"),
    ("table", "Table", "Tafel", "Table", "furniture", "0.8"),
    ("chest_of_drawers", "Commode", "Ladekast", "Chest of drawers", "furniture", "0.6"),
    ("bookcase", "Bibliothèque", "Boekenkast", "Bookcase", "furniture", "0.8"),
    ("wardrobe", "Armoire", "Kleerkast", "Wardrobe", "furniture", "1.5"),
    ("sofa", "Canapé", "Zetel", "Sofa", "furniture", "1.2"),
    ("bed_frame", "Cadre de lit", "Bedframe", "Bed frame", "furniture", "1"),
    ("mattress", "Matelas", "Matras", "Mattress", "furniture", "0.6"),
    ("fridge", "Réfrigérateur", "Koelkast", "Fridge", "appliances", "0.7"),
    ("washing_machine", "Lave-linge", "Wasmachine", "Washing machine", "appliances", "0.4"),
]


def seed(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Create the items that are missing (staff may have renamed or changed some)."""
    category_model = apps.get_model("goods", "Category")
    item_model = apps.get_model("dropoff", "CatalogueItem")
    code, fr, nl, en = APPLIANCES
    category_model.objects.get_or_create(
        code=code,
        defaults={"name_fr": fr, "name_nl": nl, "name_en": en, "position": 125},
    )
    for position, (code, fr, nl, en, category, volume) in enumerate(ITEMS):
        item_model.objects.get_or_create(
            code=code,
            defaults={
                "name_fr": fr,
                "name_nl": nl,
                "name_en": en,
                "category": category_model.objects.get(code=category),
                "volume_m3": Decimal(volume),
                "position": position * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("dropoff", "0003_home_collection"), ("goods", "0002_seed_categories")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
