"""An address without language prefix opens the page in the visitor's language (cookie, then browser)."""

import pytest

from tests.iscm_portal.test_languages import compiled_catalogues  # noqa: F401  (autouse: .mo files present)

pytestmark = pytest.mark.django_db


def test_a_french_cookie_takes_an_unprefixed_address_to_the_french_page(client, reference_data):
    client.cookies["django_language"] = "fr"
    response = client.get("/directory/", {"kind": "rcp"})
    assert (response.status_code, response["Location"]) == (302, "/fr/directory/?kind=rcp")
    assert '<html lang="fr">' in client.get(response["Location"]).content.decode()


def test_a_spanish_browser_takes_an_unprefixed_address_to_the_spanish_page(client, reference_data):
    response = client.get("/library/", HTTP_ACCEPT_LANGUAGE="es")
    assert (response.status_code, response["Location"]) == (302, "/es/library/")
    assert {"Accept-Language", "Cookie"} <= {part.strip() for part in response["Vary"].split(",")}


def test_a_signed_in_french_secretariat_reaches_its_review_pages_by_their_plain_address(client, midwa_secretariat):
    midwa_secretariat.language = "fr"
    midwa_secretariat.save()
    client.force_login(midwa_secretariat)
    client.cookies["django_language"] = "fr"
    assert client.get("/reviews/")["Location"] == "/fr/reviews/"


def test_english_and_unknown_addresses_are_answered_as_before(client, reference_data):
    assert client.get("/directory/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    client.cookies["django_language"] = "fr"
    assert client.get("/no-such-page/").status_code == 404
