"""Every search box refuses an over-long term with a message: never a 500 (SQLite's LIKE pattern limit is 50,000)."""

import pytest
from django.urls import reverse

from tests.factories import PledgeFactory

# SQLite is where a long pattern used to fail: CI runs these on SQLite too.
pytestmark = pytest.mark.sqlite

LONG = "a" * 50_000
MESSAGE = "Search for at most 200 characters (this search has 50000)."


@pytest.fixture
def pledge(reference_data):
    return PledgeFactory(title="Data for all")


@pytest.mark.parametrize("name", ["pledges:list", "pledges:dashboard"])
def test_pledge_pages_refuse_a_long_search_with_a_message(client, pledge, name):
    response = client.get(reverse(name), {"q": LONG})
    assert response.status_code == 200
    assert response.context["filterset"].form.errors == {"q": [MESSAGE]}
    assert f'<div class="invalid-feedback d-block">{MESSAGE}</div>' in response.content.decode()


def test_pledge_list_long_search_lists_nothing(client, pledge):
    assert client.get(reverse("pledges:list"), {"q": LONG}).context["page"].paginator.count == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_pledge_exports_refuse_a_long_search(client, pledge, fmt):
    response = client.get(reverse("pledges:export", args=[fmt]), {"q": LONG})
    assert (response.status_code, response["Content-Type"]) == (400, "text/plain; charset=utf-8")
    assert response.content.decode() == f"Search: {MESSAGE}"


def test_pledge_search_at_the_limit_still_searches(client, pledge):
    response = client.get(reverse("pledges:list"), {"q": "a" * 200})
    assert (response.status_code, response.context["filterset"].form.errors) == (200, {})


def test_directory_refuses_a_long_search_with_a_message(client, reference_data):
    response = client.get(reverse("mechanisms:directory"), {"q": LONG})
    assert response.status_code == 200
    assert response.context["directory"].page.paginator.count == 0
    assert f'data-testid="search-error">Search: {MESSAGE}</div>' in response.content.decode()


@pytest.mark.parametrize("field", ["theme", "state", "region"])
def test_directory_refuses_other_long_filters(client, reference_data, field):
    response = client.get(reverse("mechanisms:directory"), {field: LONG})
    assert (response.status_code, response.context["directory"].page.paginator.count) == (200, 0)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_directory_exports_refuse_a_long_search(client, reference_data, fmt):
    response = client.get(reverse("mechanisms:directory_export", args=[fmt]), {"q": LONG})
    assert (response.status_code, response.content.decode()) == (400, f"Search: {MESSAGE}")


def test_library_search_refuses_a_long_search_with_a_message(client, reference_data):
    response = client.get(reverse("library:search"), {"q": LONG})
    assert response.status_code == 200
    assert response.context["form"].errors == {"q": [MESSAGE]}
    assert f'data-testid="search-error">{MESSAGE}</p>' in response.content.decode()
