"""Personal API tokens: made and revoked on the account page, stored hashed, scoped, refused once revoked."""

import datetime
import hashlib
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from accounts.authentication import ApiTokenAuthentication
from accounts.enums import TokenScope
from accounts.models import ApiToken
from accounts.services import ApiTokenNotYours, api_token_create, api_token_mark_used, api_token_revoke
from tests.factories import UserFactory


class WhoAmI(APIView):
    """A bare DRF view behind the token authentication alone, to see what it lets through."""

    authentication_classes = [ApiTokenAuthentication]
    permission_classes = []

    def get(self, request):
        return Response({"user": request.user.username if request.user.is_authenticated else None})

    def post(self, request):
        return Response({"user": request.user.username}, status=201)


def call(method: str, authorization: str | None = None):
    factory = APIRequestFactory()
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization is not None else {}
    request = getattr(factory, method)("/api/v1/whoami", **headers)
    response = WhoAmI.as_view()(request)
    response.render()
    return response


@pytest.fixture
def user(db):
    return UserFactory(username="scripter")


def test_token_is_stored_as_its_hash_only(user):
    token, secret = api_token_create(user=user, name="Reports", scope=TokenScope.READ)
    stored = ApiToken.objects.get(pk=token.pk)
    assert re.fullmatch(r"iscm_[A-Za-z0-9_-]{43}", secret)
    assert (stored.secret_hash, stored.prefix, stored.name, stored.scope, stored.revoked_at) == (
        hashlib.sha256(secret.encode()).hexdigest(),
        secret[:12],
        "Reports",
        "read",
        None,
    )
    assert secret not in repr(ApiToken.objects.filter(pk=token.pk).values().get())


def test_token_history_records_who_made_and_revoked_it(user):
    token, _secret = api_token_create(user=user, name="Reports", scope=TokenScope.READ)
    api_token_revoke(token=token, by=user)
    history = token.history.order_by("history_date")
    assert [(row.history_type, row.history_user_id, row.revoked_at is not None) for row in history] == [
        ("+", user.pk, False),
        ("~", user.pk, True),
    ]
    assert not hasattr(history.first(), "secret_hash")


def test_token_revoked_only_by_its_user(user):
    token, _secret = api_token_create(user=user, name="Reports", scope=TokenScope.READ)
    with pytest.raises(ApiTokenNotYours):
        api_token_revoke(token=token, by=UserFactory(username="someone-else", is_iom_staff=True))
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_token_authenticates_as_its_user(user):
    _token, secret = api_token_create(user=user, name="Reports", scope=TokenScope.READ)
    response = call("get", f"Bearer {secret}")
    assert (response.status_code, response.data) == (200, {"user": "scripter"})


def test_no_authorization_header_is_anonymous(db):
    response = call("get")
    assert (response.status_code, response.data) == (200, {"user": None})


@pytest.mark.parametrize(
    "authorization",
    ["Bearer iscm_unknown", "Bearer", "Bearer two parts", "bearer iscm_unknown", "Bearer \xe9t\xe9"],
)
def test_unknown_or_malformed_token_is_401_with_www_authenticate(db, authorization):
    response = call("get", authorization)
    assert (response.status_code, response["WWW-Authenticate"]) == (401, 'Bearer realm="api"')


def test_revoked_token_is_401(user):
    token, secret = api_token_create(user=user, name="Reports", scope=TokenScope.READ_WRITE)
    api_token_revoke(token=token, by=user)
    response = call("get", f"Bearer {secret}")
    assert (response.status_code, str(response.data["detail"])) == (401, "Unknown or revoked API token.")


def test_token_of_a_deactivated_user_is_401(user):
    _token, secret = api_token_create(user=user, name="Reports", scope=TokenScope.READ_WRITE)
    user.is_active = False
    user.save()
    response = call("get", f"Bearer {secret}")
    assert response.status_code == 401


def test_read_token_cannot_write(user):
    _token, secret = api_token_create(user=user, name="Reports", scope=TokenScope.READ)
    response = call("post", f"Bearer {secret}")
    assert (response.status_code, response.data["detail"]) == (
        403,
        "This API token may only read. Make a read-and-write token on your account page to write.",
    )


def test_read_write_token_writes(user):
    _token, secret = api_token_create(user=user, name="Reports", scope=TokenScope.READ_WRITE)
    response = call("post", f"Bearer {secret}")
    assert (response.status_code, response.data) == (201, {"user": "scripter"})


def test_last_used_time_written_at_most_once_a_minute(user, django_assert_num_queries):
    token, _secret = api_token_create(user=user, name="Reports", scope=TokenScope.READ)
    first = timezone.now()
    with django_assert_num_queries(1):
        api_token_mark_used(token=token, now=first)
    with django_assert_num_queries(0):
        api_token_mark_used(token=token, now=first + datetime.timedelta(seconds=59))
    with django_assert_num_queries(1):
        api_token_mark_used(token=token, now=first + datetime.timedelta(seconds=60))
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first + datetime.timedelta(seconds=60)


def test_authenticated_request_costs_one_query_when_recently_used(user, django_assert_num_queries):
    _token, secret = api_token_create(user=user, name="Reports", scope=TokenScope.READ)
    call("get", f"Bearer {secret}")
    with django_assert_num_queries(1):  # the token and its user, in one query; no last-used write
        assert call("get", f"Bearer {secret}").status_code == 200


# --- the account page ---------------------------------------------------------------------------------------


def test_account_page_makes_a_token_and_shows_its_secret_once(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:api_tokens"), {"name": "Progress script", "scope": "read-write"})
    secret = re.search(r'value="(iscm_[^"]+)" data-testid="new-token-secret"', response.content.decode())
    token = ApiToken.objects.get(user=user)
    assert (response.status_code, token.name, token.scope) == (200, "Progress script", "read-write")
    assert token.secret_hash == hashlib.sha256(secret.group(1).encode()).hexdigest()
    assert "no-store" in response["Cache-Control"]
    again = client.get(reverse("accounts:api_tokens")).content.decode()
    assert (secret.group(1) in again, token.prefix in again) == (False, True)


def test_account_page_refuses_a_token_without_name_or_scope(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:api_tokens"), {"name": "   ", "scope": "admin"})
    assert (response.status_code, sorted(response.context["form"].errors)) == (400, ["name", "scope"])
    assert ApiToken.objects.count() == 0


def test_account_page_lists_only_own_tokens(client, user):
    api_token_create(user=user, name="Mine", scope=TokenScope.READ)
    api_token_create(user=UserFactory(username="other"), name="Theirs", scope=TokenScope.READ)
    client.force_login(user)
    response = client.get(reverse("accounts:api_tokens"))
    assert [token.name for token in response.context["tokens"]] == ["Mine"]


def test_account_page_revokes_own_token_and_not_anothers(client, user):
    mine, _secret = api_token_create(user=user, name="Mine", scope=TokenScope.READ)
    theirs, _secret = api_token_create(user=UserFactory(username="other"), name="Theirs", scope=TokenScope.READ)
    client.force_login(user)
    response = client.post(reverse("accounts:api_token_revoke", kwargs={"pk": mine.pk}))
    refused = client.post(reverse("accounts:api_token_revoke", kwargs={"pk": theirs.pk}))
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (response.status_code, refused.status_code) == (302, 403)
    assert (mine.revoked_at is not None, theirs.revoked_at) == (True, None)


@pytest.mark.parametrize("count", [1, 10])
def test_account_page_query_count(client, user, django_assert_num_queries, count):
    for n in range(count):
        api_token_create(user=user, name=f"Token {n}", scope=TokenScope.READ)
    client.force_login(user)
    with django_assert_num_queries(3):  # session, user, tokens
        response = client.get(reverse("accounts:api_tokens"))
    assert len(response.context["tokens"]) == count
