"""Atom feeds of status updates: what each reader gets, in their language."""

import datetime

import feedparser
import pytest
from django.urls import reverse

from events.models import Actor, Event
from recommendations.models import Assignment, Recommendation
from tests import factories


@pytest.fixture
def noted(documents, coordinator):
    kz = Assignment.objects.get(recommendation__code="CSACVE-2015-1", actor__iso_code="KZ")
    return factories.report(kz, coordinator, note="Public progress.", internal_note="Secret detail.")


def parse(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def test_anonymous_readers_get_the_public_note_but_no_internal_note_or_author(client, noted, settings):
    settings.PUBLIC_READ = True
    feed = parse(client.get(reverse("updates-feed")))
    entry = feed.entries[0]
    assert entry.title.startswith("CSACVE-2015-1 · Kazakhstan")
    assert "Public progress." in entry.summary and "Secret detail." not in entry.summary
    assert "author" not in entry
    assert entry.link.endswith(f"{noted.assignment.get_absolute_url()}#update-{noted.pk}")


def test_a_coordinator_gets_the_internal_note_and_the_author(client, noted, coordinator):
    client.force_login(coordinator)
    entry = parse(client.get(reverse("updates-feed"))).entries[0]
    assert "Secret detail." in entry.summary and entry.author


def test_a_russian_reader_gets_russian_labels(client, noted):
    feed = parse(client.get(reverse("updates-feed"), HTTP_ACCEPT_LANGUAGE="ru"))
    assert feed.feed.language == "ru"
    assert feed.entries[0].title.endswith(": Выполняется")  # "In progress", from locale/ru


def test_anonymous_readers_are_sent_to_log_in_while_public_read_is_off(client, noted, settings):
    settings.PUBLIC_READ = False
    response = client.get(reverse("updates-feed"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_scoped_feeds_and_sub_bodies(client, documents, coordinator):
    parliament = Assignment.objects.get(recommendation__code="CTRT-2016-1")
    factories.report(parliament, coordinator, date=datetime.date(2017, 1, 10), note="Hearing held.")
    kz = Actor.objects.get(iso_code="KZ")
    feed = parse(client.get(reverse("actor-feed", args=[kz.pk])))
    assert any("Hearing held." in entry.summary for entry in feed.entries)
    event = parse(client.get(reverse("event-feed", args=[parliament.recommendation.event_id])))
    assert [entry.title.split(" · ")[0] for entry in event.entries] == ["CTRT-2016-1"]
    recommendation = parse(client.get(reverse("recommendation-feed", args=[parliament.recommendation_id])))
    assert len(recommendation.entries) == 1


@pytest.mark.parametrize("name", ["event-feed", "actor-feed", "recommendation-feed"])
def test_an_unknown_object_is_a_404(client, documents, name):
    assert client.get(reverse(name, args=[999999])).status_code == 404


def test_pages_link_to_their_feeds(client, documents):
    pages = {
        reverse("dashboard"): reverse("updates-feed"),
        Event.objects.first().get_absolute_url(): reverse("event-feed", args=[Event.objects.first().pk]),
        Actor.objects.get(iso_code="KZ").get_absolute_url(): reverse(
            "actor-feed", args=[Actor.objects.get(iso_code="KZ").pk]
        ),
        Recommendation.objects.first().get_absolute_url(): reverse(
            "recommendation-feed", args=[Recommendation.objects.first().pk]
        ),
    }
    for page, feed in pages.items():
        html = client.get(page).text
        assert '<link rel="alternate" type="application/atom+xml"' in html and f'href="{feed}"' in html
        assert "Atom feed" in html


def test_the_feed_takes_a_bounded_number_of_queries(client, noted, coordinator, django_assert_max_num_queries):
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        parse(client.get(reverse("updates-feed")))


def test_a_focal_point_gets_internal_notes_of_their_own_actors_only(client, noted, focal_kz, focal_kg):
    client.force_login(focal_kz)
    assert "Secret detail." in parse(client.get(reverse("updates-feed"))).entries[0].summary
    client.force_login(focal_kg)
    assert "Secret detail." not in parse(client.get(reverse("updates-feed"))).entries[0].summary
