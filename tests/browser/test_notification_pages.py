"""The notifications' pages in the browser, used as a person does: follow a country from its page,
the notifications page with what they follow and the digest choice, and the mailed stop link; with
axe-core at desktop and phone width."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.signed import stop_token
from events.models import Actor
from notifications.digests import STOP_SALT
from notifications.models import Follow
from reminders.models import Preference
from tests.browser.conftest import log_in
from tests.browser.test_accessibility import audit, demo, describe  # noqa: F401 - `demo` is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_follow_from_the_page_then_unfollow_and_stop_digests_on_the_notifications_page(page, demo):  # noqa: F811
    kazakhstan = Actor.objects.get(iso_code="KZ")
    log_in(page, "viewer", next_url=kazakhstan.get_absolute_url())
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    page.get_by_role("button", name="Follow").click()

    assert page.get_by_role("status").filter(has_text="You follow Kazakhstan").is_visible()
    assert Follow.objects.get(user__username="viewer").actor == kazakhstan
    for width in (1280, 390):  # the scorecard with its Unfollow button, and the notifications page
        page.set_viewport_size({"width": width, "height": 800})
        assert describe(audit(page, kazakhstan.get_absolute_url())) == []
        assert describe(audit(page, reverse("notifications"))) == []
    page.get_by_label("Mail me a digest of updates to what I follow and to my assignments").uncheck()
    page.get_by_role("button", name="Save").click()
    assert Preference.objects.get(user__username="viewer").send_digests is False
    page.get_by_role("button", name="Unfollow").click()
    assert page.get_by_text("You follow nothing yet.").is_visible()
    assert not Follow.objects.exists()
    assert errors == []


def test_the_stop_link_asks_then_stops_without_signing_in(page, demo):  # noqa: F811
    user = get_user_model().objects.get(username="focal-kz")
    stop_url = reverse("notifications-stop", args=[stop_token(user, STOP_SALT)])
    assert describe(audit(page, stop_url)) == []

    page.get_by_role("button", name="Stop digests").click()

    assert page.get_by_text("Digests to focal-kz are stopped.").is_visible()
    assert Preference.objects.get(user=user).send_digests is False
    page.set_viewport_size({"width": 390, "height": 800})
    assert describe(audit(page, stop_url)) == []
