"""Inviting a focal point for an actor (web/focal_points.py, recommendations.workflow.invite_focal_point):
the account, its role, link and language; the mail, received by a real SMTP server, and its one-time
link; existing accounts; the rate limits; unlinking; the actor's page and the admin's picker."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.invitations import invitation_tokens
from accounts.models import Profile
from events.models import Actor
from recommendations import permissions, workflow
from recommendations.models import StatusUpdate
from tests import factories
from tests.conftest import PASSWORD
from tests.helpers import postgresql_only

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-7"
LINK = re.compile(r"https?://[^/\s]+(/accounts/invitation/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def kazakhstan(documents):
    return Actor.objects.get(iso_code="KZ")


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def invite_url(actor):
    return reverse("coordinate-actor-invite", args=[actor.pk])


def unlink_url(actor, user):
    return reverse("coordinate-actor-unlink", args=[actor.pk, user.pk])


def invite(client, actor, email="aigerim@example.org", name="Aigerim Bekova", language="ru", **extra):
    return client.post(invite_url(actor), {"name": name, "email": email, "language": language}, **extra)


def shown_link(answer):
    """The one-time link the coordinator is shown on the actor's page after inviting."""
    page = answer.content.decode()
    return LINK.search(page) if "shown this once" in page else None


def test_an_invitation_makes_a_focal_point_linked_to_the_actor_and_mails_a_link_in_their_language(
    signed_in, smtp, kazakhstan, settings
):
    settings.ALLOWED_HOSTS = ["tracker.example.org", "testserver"]
    answer = invite(signed_in, kazakhstan, email="Aigerim@Example.org", follow=True, HTTP_HOST="tracker.example.org")

    assert answer.redirect_chain == [(kazakhstan.get_absolute_url(), 302)]
    user = get_user_model().objects.get(email="Aigerim@example.org")  # the domain in lower case, as Django keeps it
    assert user.username == "aigerim@example.org" and user.get_full_name() == "Aigerim Bekova"
    assert list(user.groups.values_list("name", flat=True)) == [permissions.FOCAL_POINTS]
    assert list(user.reporting_actors.all()) == [kazakhstan]
    assert Profile.objects.get(user=user).language == "ru"
    assert not user.has_usable_password()
    page = answer.content.decode()
    assert "Invited Aigerim Bekova as a focal point of Kazakhstan." in page
    assert "The invitation was mailed to Aigerim@example.org." in page

    (received,) = smtp.wait_for(1)
    message = received["message"]
    assert received["to"] == ["Aigerim@example.org"]
    assert message["Subject"].strip() == "Вы приглашены отчитываться за Казахстан в cvetracker"
    body = message.get_content()
    assert "Чтобы выбрать пароль и войти, откройте эту ссылку:" in body
    mailed = LINK.search(body)
    assert mailed and mailed.group(0).startswith("http://tracker.example.org/accounts/invitation/")
    assert shown_link(answer).group(0) == mailed.group(0)  # the same link, shown once to the coordinator
    assert shown_link(signed_in.get(kazakhstan.get_absolute_url())) is None


def test_the_link_sets_the_password_signs_in_shows_the_assignments_and_works_once(
    signed_in, smtp, kazakhstan, coordinator
):
    assignment = factories.assignment("CSACVE-2015-1", "KZ", coordinator)
    invite(signed_in, kazakhstan, language="en")
    link = LINK.search(smtp.wait_for(1)[0]["message"].get_content()).group(1)
    invitee = Client()

    form = invitee.get(link, follow=True)  # Django moves the token into the session
    assert b"Choose your password" in form.content and b"aigerim@example.org" in form.content
    done = invitee.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done.status_code == 302 and done["Location"] == reverse("dashboard")
    dashboard = invitee.get(done["Location"])
    assert dashboard.wsgi_request.user.username == "aigerim@example.org"  # signed in
    page = dashboard.content.decode()
    assert "You report for" in page and f'href="{assignment.get_absolute_url()}#record-update"' in page
    assert Client().login(username="aigerim@example.org", password=NEW_PASSWORD)
    again = Client().get(link, follow=True)
    assert b"This invitation no longer works" in again.content


def test_an_invitation_is_no_reset_link_and_a_reset_link_no_invitation(signed_in, smtp, kazakhstan):
    invite(signed_in, kazakhstan)
    user = get_user_model().objects.get(username="aigerim@example.org")
    uid, token = LINK.search(smtp.wait_for(1)[0]["message"].get_content()).group(1).split("/")[3:5]

    reset = Client().get(reverse("password_reset_confirm", args=[uid, token]), follow=True)
    assert b"This link no longer works" in reset.content
    reset_token = default_token_generator.make_token(user)
    assert not invitation_tokens.check_token(user, reset_token)
    invitation = Client().get(reverse("invitation-accept", args=[uid, reset_token]), follow=True)
    assert b"This invitation no longer works" in invitation.content


def test_the_link_expires_after_its_lifetime(signed_in, smtp, kazakhstan, settings, monkeypatch):
    invite(signed_in, kazakhstan)
    user = get_user_model().objects.get(username="aigerim@example.org")
    token = LINK.search(smtp.wait_for(1)[0]["message"].get_content()).group(1).split("/")[4]
    settings.INVITATION_LINK_DAYS = 7
    now = invitation_tokens._now()

    monkeypatch.setattr(invitation_tokens, "_now", lambda: now + datetime.timedelta(days=6, hours=23))
    assert invitation_tokens.check_token(user, token)
    monkeypatch.setattr(invitation_tokens, "_now", lambda: now + datetime.timedelta(days=7, hours=1))
    assert not invitation_tokens.check_token(user, token)


def test_an_existing_focal_point_is_linked_not_duplicated(signed_in, smtp, kazakhstan, focal_kg):
    focal_kg.email, focal_kg.first_name = "kg@example.org", "Bakyt"
    focal_kg.save()
    users = get_user_model().objects.count()

    answer = invite(signed_in, kazakhstan, email="KG@example.org", name="Someone else", follow=True)

    assert get_user_model().objects.count() == users
    assert set(focal_kg.reporting_actors.values_list("iso_code", flat=True)) == {"KG", "KZ"}
    page = answer.content.decode()
    assert "Bakyt already had a focal point&#x27;s account: it is now linked to Kazakhstan too." in page
    assert shown_link(answer) is None  # they have a password: nothing to set, nothing mailed
    assert smtp.wait_for(1, timeout=0.5) == []
    assert not Profile.objects.filter(user=focal_kg).exclude(language="ru").exists()  # no choice of theirs yet


def test_an_invited_person_without_a_password_gets_a_new_link(signed_in, smtp, kazakhstan, documents):
    invite(signed_in, kazakhstan)
    answer = invite(signed_in, Actor.objects.get(iso_code="KG"), follow=True)

    assert get_user_model().objects.filter(email="aigerim@example.org").count() == 1
    assert len(smtp.wait_for(2)) == 2 and shown_link(answer)


def test_an_account_created_by_another_invitation_meanwhile_is_linked_not_a_failure(
    signed_in, smtp, kazakhstan, coordinator, monkeypatch
):
    kyrgyzstan = Actor.objects.get(iso_code="KG")
    look_up = workflow._account_for

    def other_invitation_first(email):
        # Another coordinator invites the same address for Kyrgyzstan and commits after this
        # request looked for the account and found none.
        monkeypatch.setattr(workflow, "_account_for", look_up)
        workflow.invite_focal_point(by=coordinator, actor=kyrgyzstan, name="Aigerim", email=email, language="ru")
        return None

    monkeypatch.setattr(workflow, "_account_for", other_invitation_first)
    answer = invite(signed_in, kazakhstan, follow=True)

    assert answer.status_code == 200
    (user,) = get_user_model().objects.filter(email="aigerim@example.org")
    assert set(user.reporting_actors.values_list("iso_code", flat=True)) == {"KG", "KZ"}
    assert permissions.is_focal_point(user)


@pytest.mark.parametrize("role", [permissions.COORDINATORS, permissions.VIEWERS, None])
def test_an_address_of_another_role_is_refused_beside_the_field_as_typed(signed_in, smtp, kazakhstan, role):
    other = get_user_model().objects.create_user("someone", "someone@example.org", PASSWORD)
    if role:
        other.groups.add(Group.objects.get(name=role))

    answer = invite(signed_in, kazakhstan, email="someone@example.org", name="Typed Name")

    assert answer.status_code == 200
    page = answer.content.decode()
    assert "This address belongs to an account with another role" in page
    assert 'value="Typed Name"' in page and 'value="someone@example.org"' in page
    assert not other.reporting_actors.exists() and smtp.messages == []


def test_bad_input_is_an_error_beside_its_field_and_nothing_is_written(signed_in, kazakhstan):
    users = get_user_model().objects.count()

    answer = invite(signed_in, kazakhstan, email="not-an-address", name="Typed Name", language="xx")

    page = answer.content.decode()
    assert answer.status_code == 200 and "Enter a valid email address." in page
    assert "Select a valid choice." in page and 'value="Typed Name"' in page
    assert get_user_model().objects.count() == users


@pytest.fixture
def limits(settings):
    cache.clear()  # the counts live in the cache
    rates = {"invitations_coordinator": "3/hour", "invitations_address": "2/hour"}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates},
    }
    yield
    cache.clear()


def test_over_the_address_limit_the_invitation_is_refused_and_nothing_written(signed_in, smtp, kazakhstan, limits):
    kyrgyzstan = Actor.objects.get(iso_code="KG")
    assert [invite(signed_in, kazakhstan).status_code for _ in range(2)] == [302, 302]

    refused = invite(signed_in, kyrgyzstan)

    assert refused.status_code == 200
    assert "This address has been sent as many invitations as allowed for now; try again in" in refused.content.decode()
    assert not kyrgyzstan.focal_points.exists()
    assert len(smtp.wait_for(3, timeout=1)) == 2


def test_over_the_coordinators_limit_the_invitation_is_refused(signed_in, smtp, kazakhstan, limits, viewer):
    for number in range(3):
        assert invite(signed_in, kazakhstan, email=f"person-{number}@example.org").status_code == 302
    users = get_user_model().objects.count()

    refused = invite(signed_in, kazakhstan, email="person-9@example.org")

    assert refused.status_code == 200
    assert "You have sent as many invitations as allowed for now; try again in 60 minutes." in refused.content.decode()
    assert get_user_model().objects.count() == users
    assert len(smtp.wait_for(4, timeout=1)) == 3


def test_a_refusal_counts_no_invitation(signed_in, smtp, kazakhstan, limits):
    get_user_model().objects.create_user("someone", "someone@example.org", PASSWORD)  # no role: refused
    for _ in range(3):
        invite(signed_in, kazakhstan, email="someone@example.org")

    assert invite(signed_in, kazakhstan).status_code == 302  # the coordinator's three are still there


def test_a_mail_server_refusing_the_address_leaves_the_link_for_the_coordinator(signed_in, smtp, kazakhstan):
    smtp.refused.add("aigerim@example.org")

    answer = invite(signed_in, kazakhstan, follow=True)

    assert "The mail to aigerim@example.org could not be sent: pass the link on yourself." in answer.content.decode()
    assert shown_link(answer)
    assert kazakhstan.focal_points.filter(username="aigerim@example.org").exists()


def test_unlinking_keeps_the_account_and_its_reports(signed_in, kazakhstan, focal_kz, coordinator):
    update = factories.report(factories.assignment("CSACVE-2015-1", "KZ", coordinator), focal_kz)

    confirm = signed_in.get(unlink_url(kazakhstan, focal_kz))
    assert confirm.status_code == 200 and b"The account stays" in confirm.content
    answer = signed_in.post(unlink_url(kazakhstan, focal_kz), follow=True)

    assert answer.redirect_chain == [(kazakhstan.get_absolute_url(), 302)]
    assert "focal-kz no longer reports for Kazakhstan." in answer.content.decode()
    assert not focal_kz.reporting_actors.exists()
    assert get_user_model().objects.filter(pk=focal_kz.pk).exists()
    assert StatusUpdate.objects.filter(pk=update.pk, author=focal_kz).exists()
    assert signed_in.post(unlink_url(kazakhstan, focal_kz)).status_code == 404  # no longer linked


def test_the_actors_page_lists_its_focal_points_to_coordinators_only(client, signed_in, kazakhstan, focal_kz, viewer):
    focal_kz.email = "kz@example.org"
    focal_kz.save()
    page = signed_in.get(kazakhstan.get_absolute_url()).content.decode()

    assert "kz@example.org" in page and "Active" in page and "Never" in page
    assert unlink_url(kazakhstan, focal_kz) in page and invite_url(kazakhstan) in page
    for reader in (Client(), _signed_in_as(viewer), _signed_in_as(focal_kz)):
        other = reader.get(kazakhstan.get_absolute_url()).content.decode()
        assert "kz@example.org" not in other and invite_url(kazakhstan) not in other
        assert 'id="focal-points-heading"' not in other


def _signed_in_as(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_admins_picker_offers_focal_points_and_those_already_linked(
    client, superuser, coordinator, kazakhstan, viewer
):
    focal = get_user_model().objects.create_user("fresh-focal")
    focal.groups.add(Group.objects.get(name=permissions.FOCAL_POINTS))
    kazakhstan.focal_points.add(viewer)  # linked before the rule: kept, so saving keeps it
    client.force_login(superuser)

    form = client.get(reverse("admin:events_actor_change", args=[kazakhstan.pk])).context["adminform"].form
    offered = set(form.fields["focal_points"].queryset.values_list("username", flat=True))

    assert "fresh-focal" in offered and "viewer" in offered
    assert "admin" not in offered and "coordinator" not in offered
    other = client.get(reverse("admin:events_actor_change", args=[Actor.objects.get(iso_code="KG").pk]))
    assert not other.context["adminform"].form.fields["focal_points"].queryset.filter(pk=viewer.pk).exists()


@postgresql_only("the read cache keeps pages on PostgreSQL only")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # real commits: the data version moves
def test_the_cached_actors_page_follows_a_password_set_and_a_sign_in(client, coordinator, kazakhstan, smtp):
    client.force_login(coordinator)
    invite(client, kazakhstan)
    invitee = get_user_model().objects.get(username="aigerim@example.org")
    url = kazakhstan.get_absolute_url()
    client.get(url)
    assert "Invited" in client.get(url).content.decode()  # served from the cache

    invitee.set_password(NEW_PASSWORD)
    invitee.save()  # neither the password nor the sign-in moves the data version (migration 0019)
    assert Client().login(username="aigerim@example.org", password=NEW_PASSWORD)

    page = client.get(url).content.decode()
    assert ">Active<" in page and "Never" not in page
