"""The moderators' page lists each domain's registered queue, without knowing the domains."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from entraide.organisations import moderation_queues

pytestmark = pytest.mark.django_db


@pytest.fixture
def lots_queue(settings, tmp_path):
    """A queue registered as a new domain would, with its own template."""
    (tmp_path / "lots_queue.html").write_text(
        '<h2 id="lots-waiting">Lots waiting: {{ items|length }}</h2>'
        "{% for lot in items %}<p>{{ lot }}</p>{% endfor %}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    seen = []

    def waiting(moderator):
        seen.append(moderator)
        return ["Apples from the market", "Bread from the bakery"]

    queue = moderation_queues.ModerationQueue(
        name="lots", template="lots_queue.html", items=waiting, order=1
    )
    moderation_queues.register(queue)
    yield seen
    moderation_queues.unregister("lots")


def test_a_registered_queue_shows_on_the_moderators_page(client, mona, lots_queue):
    client.force_login(mona)

    response = client.get(reverse("organisations:moderation"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Lots waiting: 2" in page
    assert "Bread from the bakery" in page
    assert lots_queue == [mona]
    # Order 1 comes before the missions' queue (order 100).
    assert page.index('id="lots-waiting"') < page.index('id="missions-waiting"')
    assert list(response.context["queues"]) == ["lots", "missions"]


def test_two_queues_with_one_name_are_refused():
    queue = moderation_queues.ModerationQueue(
        name="missions", template="x.html", items=lambda user: []
    )

    with pytest.raises(ImproperlyConfigured):
        moderation_queues.register(queue)
