"""The reminders' pages in the browser: the settings form and the mailed stop link, used as a
person does, with axe-core at desktop and phone width."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.signed import stop_token
from reminders.models import Preference
from reminders.views import STOP_SALT
from tests.browser.conftest import log_in
from tests.browser.test_accessibility import audit, demo, describe  # noqa: F401 - `demo` is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_settings_page_turns_reminders_off(page, demo):  # noqa: F811
    settings_url = reverse("reminder-settings")
    log_in(page, "focal-kg", next_url=settings_url)
    assert describe(audit(page, settings_url)) == []

    page.get_by_label("Send me reminders by e-mail").uncheck()
    page.get_by_role("button", name="Save").click()

    assert page.get_by_role("status").filter(has_text="Your choice is saved.").is_visible()
    assert Preference.objects.get(user__username="focal-kg").send_reminders is False
    page.set_viewport_size({"width": 390, "height": 800})
    assert describe(audit(page, settings_url)) == []


def test_the_stop_link_asks_then_stops_without_signing_in(page, demo):  # noqa: F811
    user = get_user_model().objects.get(username="focal-kz")
    stop_url = reverse("reminders-stop", args=[stop_token(user, STOP_SALT)])
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    assert describe(audit(page, stop_url)) == []
    assert not Preference.objects.exists()  # opening the link stops nothing

    page.get_by_role("button", name="Stop reminders").click()

    assert page.get_by_text("Reminders to focal-kz are stopped.").is_visible()
    assert Preference.objects.get(user=user).send_reminders is False
    page.set_viewport_size({"width": 390, "height": 800})
    assert describe(audit(page, stop_url.replace(stop_url[-4:-1], "xyz"))) == []  # an altered link
    assert errors == [] or all("404" in error for error in errors)
