"""Login throttling (django-axes): a username is locked at one address after AXES_FAILURE_LIMIT failures."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from tests.factories import UserFactory

LOGIN = "/accounts/login/"
RIGHT = "pass-for-tests"
LOCKED_MESSAGE = (
    "Too many failed logins for this account from your address. Wait 15 minutes and try again, or ask IOM to unlock it."
)


def _login(client, username, password, address="203.0.113.7", **headers):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def _fail(client, username, times, address="203.0.113.7", **headers):
    return [_login(client, username, "wrong", address, **headers).status_code for _ in range(times)]


def _logged_in_as(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def victim(db):
    return UserFactory(username="victim")


def test_five_failures_lock_the_login_even_with_the_right_password(client, victim, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert _fail(client, "victim", 4) == [200, 200, 200, 200]
    # The fifth failure locks: it already gets the locked-out page.
    assert _fail(client, "victim", 1) == [429]
    response = _login(client, "victim", RIGHT)
    assert (response.status_code, response.context["locked_out"]) == (429, LOCKED_MESSAGE)
    assert response.templates[0].name == "registration/login.html"
    assert _logged_in_as(client) is None
    # A refused attempt counts too, and restarts the cool-off.
    assert AccessAttempt.objects.get().failures_since_start == 6


def test_login_with_a_wrong_password_shows_the_form_error_before_the_limit(client, victim):
    response = _login(client, "victim", "wrong")
    assert (response.status_code, response.context.get("locked_out")) == (200, None)
    assert response.context["form"].errors["__all__"] == [
        "Please enter a correct username and password. Note that both fields may be case-sensitive."
    ]


def test_lock_is_per_user_at_an_address(client, victim):
    UserFactory(username="colleague")
    _fail(client, "victim", 5)
    assert _login(client, "colleague", RIGHT).status_code == 302  # same office, other account
    client.logout()
    assert _login(client, "victim", RIGHT, address="198.51.100.9").status_code == 302  # same account elsewhere
    client.logout()
    assert _login(client, "victim", RIGHT).status_code == 429


def test_lock_ends_after_the_cool_off(client, victim):
    _fail(client, "victim", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = _login(client, "victim", RIGHT)
    assert (response.status_code, response.url) == (302, "/accounts/landing/")
    assert _logged_in_as(client) == str(victim.pk)


def test_successful_login_resets_the_count(client, victim):
    _fail(client, "victim", 4)
    assert _login(client, "victim", RIGHT).status_code == 302
    client.logout()
    assert AccessAttempt.objects.count() == 0
    assert _fail(client, "victim", 4) == [200, 200, 200, 200]
    assert _login(client, "victim", RIGHT).status_code == 302


def test_iom_sees_and_unlocks_a_locked_login(client, victim, iom_user):
    _fail(client, "victim", 5)
    client.force_login(iom_user)
    page = client.get("/accounts/lockouts/")
    lockouts = page.context["lockouts"]
    assert [(lock.username, lock.ip_address, lock.failures) for lock in lockouts] == [("victim", "203.0.113.7", 5)]
    response = client.post(f"/accounts/lockouts/{lockouts[0].pk}/unlock/")
    assert (response.status_code, response.url) == (302, "/accounts/lockouts/")
    assert client.get("/accounts/lockouts/").context["lockouts"] == []
    client.logout()
    assert _login(client, "victim", RIGHT).status_code == 302


def test_unlocking_twice_says_it_was_no_longer_locked(client, victim, iom_user):
    _fail(client, "victim", 5)
    pk = AccessAttempt.objects.get().pk
    client.force_login(iom_user)
    first = client.post(f"/accounts/lockouts/{pk}/unlock/", follow=True)
    assert [str(message) for message in first.context["messages"]] == ["Unlocked: that login can be tried again now."]
    response = client.post(f"/accounts/lockouts/{pk}/unlock/", follow=True)
    assert [str(message) for message in response.context["messages"]] == ["That login was no longer locked."]


def test_lockout_list_leaves_out_expired_and_unlocked_failures(client, victim, iom_user):
    _fail(client, "victim", 5)
    _fail(client, "other", 2)
    AccessAttempt.objects.filter(username="victim").update(attempt_time=timezone.now() - timedelta(minutes=16))
    client.force_login(iom_user)
    assert client.get("/accounts/lockouts/").context["lockouts"] == []


def test_administrators_unlock_from_the_command_line(client, victim):
    _fail(client, "victim", 5)
    call_command("axes_reset_ip_username", "203.0.113.7", "victim")
    assert _login(client, "victim", RIGHT).status_code == 302


@override_settings(AXES_IPWARE_META_PRECEDENCE_ORDER=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"))
def test_behind_a_proxy_the_forwarded_address_is_locked_not_the_proxy(client, victim):
    proxy = "10.0.0.2"
    _fail(client, "victim", 5, proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    assert _login(client, "victim", RIGHT, proxy, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 302
