"""The back office: found at /admin/ too, branded, and labelled in the viewer's language."""

import pytest
from django.utils import timezone, translation
from django.utils.translation import trans_real
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db


def test_it_redirects_admin_to_the_back_office_in_the_visitors_language(client):
    response = client.get("/admin/", headers={"accept-language": "nl"})

    assert response.status_code == 302
    assert response["Location"] == "/nl/backoffice/"


def test_it_keeps_the_page_and_query_when_redirecting(client):
    response = client.get("/fr/admin/companies/ledgerentry/?q=acme")

    assert response.status_code == 302
    assert response["Location"] == "/fr/backoffice/companies/ledgerentry/?q=acme"


def test_it_brands_the_back_office(client, dave):
    client.force_login(dave)

    page = client.get("/en/backoffice/").content.decode()

    assert "<title>Back office | entraide</title>" in page
    assert '<a href="/en/backoffice/">entraide</a>' in page
    assert "Django administration" not in page


def test_it_names_the_task_queue_in_french(client, dave):
    # The list shows its columns only when it has a row.
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="entraide.core.tasks.example",
        backend_name="default",
        run_after=timezone.now(),
    )
    client.force_login(dave)

    index = client.get("/fr/backoffice/").content.decode()
    tasks = client.get("/fr/backoffice/django_tasks_database/dbtaskresult/").content.decode()

    assert "Tâches en arrière-plan" in index
    assert "Résultats de tâches" in index
    assert "Tasks Database Backend" not in index
    assert "Task Results" not in index
    for header in ("Tâche", "Mis en file le", "Priorité", "Nom de la file"):
        assert header in tasks
    assert "Queue name" not in tasks


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_it_translates_every_back_office_section_and_table(language):
    from django.contrib import admin

    # Our catalogue merged with Django's: a label missing from both shows in English.
    catalogue = trans_real.translation(language)._catalog  # type: ignore[attr-defined]
    untranslated = []
    for model in admin.site._registry:
        opts = model._meta
        for label in (opts.app_config.verbose_name, opts.verbose_name_plural):
            with translation.override("en"):
                english = str(label)
            if not catalogue.get(english):
                untranslated.append(english)
    assert untranslated == []
