"""The personal-data inventory in docs/data-protection.md names every field that could hold
personal data, so a new field cannot slip past the partnership's DPIA.

The rule: every stored (concrete) field of every installed model, except primary keys, yes/no
fields, fields limited to a fixed list of choices, and links to records other than a person
(a link to a user could identify someone, so it counts). Django's catalogue tables describe
the code, not people."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

DOC = Path(__file__).parents[2] / "docs" / "data-protection.md"
CATALOGUES = {"contenttypes.contenttype", "auth.permission", "auth.group"}
NAMED = re.compile(r"`(?:[a-z_]+\.)?([A-Z][A-Za-z0-9]+\.[a-z_][a-z0-9_]*)`")


def could_hold_personal_data(field: models.Field) -> bool:
    if field.primary_key or isinstance(field, models.BooleanField) or field.choices:
        return False
    if field.is_relation:
        return field.related_model == apps.get_model(settings.AUTH_USER_MODEL)
    return True


def fields_by_rule() -> set[str]:
    found = set()
    for model in apps.get_models():
        if model._meta.label_lower in CATALOGUES:
            continue
        for field in model._meta.concrete_fields:
            if could_hold_personal_data(field):
                found.add(f"{model.__name__}.{field.name}")
    return found


def inventory() -> set[str]:
    """Field names in the first column of the inventory's tables."""
    named = set()
    text = DOC.read_text(encoding="utf-8")
    inventory_part = text.split("## Inventory of personal fields", 1)[1]
    for line in inventory_part.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            named.update(NAMED.findall(first_cell))
    return named


def test_model_names_are_unique_so_the_inventory_can_name_fields_by_model() -> None:
    names = [model.__name__ for model in apps.get_models()]
    assert len(names) == len(set(names)), "qualify the inventory's names with the app label"


def test_every_field_that_could_hold_personal_data_is_in_the_inventory() -> None:
    missing = sorted(fields_by_rule() - inventory())
    assert not missing, (
        "docs/data-protection.md must classify these fields (classification, purpose, who can "
        "see it, retention): " + ", ".join(missing)
    )


def test_the_inventory_classifies_special_category_data() -> None:
    text = DOC.read_text(encoding="utf-8")
    for field in ("Case.ethnicity", "Case.religion"):
        row = next(line for line in text.splitlines() if line.startswith(f"| `{field}`"))
        assert "special category" in row
