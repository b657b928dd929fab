"""The portal in English, French and Spanish: addresses, the switcher, the account's language, hreflang."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from accounts.models import User
from tests.factories import UserFactory


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues():
    """`make install` compiles the catalogues; a checkout that skipped it gets them compiled here."""
    for po in Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            call_command("compilemessages", locale=[po.parent.parent.name], verbosity=0)


def _alternates(html):
    return [line.strip() for line in html.splitlines() if 'rel="alternate"' in line]


@pytest.mark.django_db
def test_french_address_answers_in_french(client, reference_data):
    response = client.get("/fr/directory/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert "Répertoire des mécanismes" in html
    assert "Directory of mechanisms" not in html


@pytest.mark.django_db
def test_spanish_address_answers_in_spanish(client, reference_data):
    html = client.get("/es/").content.decode()
    assert '<html lang="es">' in html
    assert "Portal de examen de los MCIM" in html


@pytest.mark.django_db
def test_english_addresses_are_unchanged(client, reference_data):
    response = client.get("/directory/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "Directory of mechanisms" in html


@pytest.mark.django_db
def test_unknown_language_prefix_is_not_found(client, reference_data):
    assert client.get("/de/directory/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(("accept", "lang"), [("fr", "fr"), ("es-ES,es;q=0.9,en;q=0.5", "es"), ("de", "en")])
def test_first_visit_follows_the_browser_language(client, reference_data, accept, lang):
    response = client.get("/", headers={"accept-language": accept}, follow=True)
    assert (response.status_code, response.request["PATH_INFO"]) == (200, "/" if lang == "en" else f"/{lang}/")
    assert f'<html lang="{lang}">' in response.content.decode()


@pytest.mark.django_db
def test_switcher_is_in_the_header_for_anonymous_visitors(client, reference_data):
    html = client.get("/directory/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert '<input type="hidden" name="next" value="/directory/">' in html
    assert 'name="language" value="fr" lang="fr"' in html
    # Each button shows its code and is named by the language's own name (its accessible name is "FR Français").
    for code, name in (("EN", "English"), ("FR", "Français"), ("ES", "Español")):
        assert (
            f'{code}<span class="visually-hidden"> {name}</span></button>'
        ) in html


@pytest.mark.django_db
def test_switcher_redirects_to_the_page_in_the_chosen_language_and_sets_the_cookie(client, reference_data):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/directory/?kind=RCP"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/directory/?kind=RCP"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/fr/directory/"})
    assert response["Location"] == "/directory/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.django_db
def test_cookie_choice_applies_to_unprefixed_pages(client, reference_data):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="es">' in html
    assert "Iniciar sesión" in html


@pytest.mark.django_db
def test_login_page_reached_from_a_spanish_page_is_in_spanish(client, reference_data):
    login = client.get("/es/packages/")["Location"]
    html = client.get(login).content.decode()
    assert (login, '<html lang="es">' in html) == ("/accounts/login/?next=/es/packages/", True)
    # A `next` that names no language, or a hostile one, leaves the usual choice (English here).
    for next_page in ("/packages/", "//evil.example/fr/", "x" * 10_000):
        assert '<html lang="en">' in client.get("/accounts/login/", {"next": next_page}).content.decode()


@pytest.mark.django_db
def test_switcher_rejects_get(client):
    assert client.get("/i18n/setlang/").status_code == 405


@pytest.mark.django_db
def test_signed_in_choice_is_saved_and_applied_at_next_login(client, reference_data):
    user = UserFactory(username="amina")
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert User.objects.get(pk=user.pk).language == "fr"

    client.logout()
    client.cookies.clear()
    response = client.post("/accounts/login/", {"username": "amina", "password": "pass-for-tests"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    html = client.get("/", follow=True).content.decode()
    assert '<html lang="fr">' in html


@pytest.mark.django_db
def test_unknown_language_is_not_saved_on_the_account(client):
    user = UserFactory(username="amina")
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert User.objects.get(pk=user.pk).language == ""


@pytest.mark.django_db
def test_account_without_language_keeps_the_browser_choice_at_login(client, reference_data):
    UserFactory(username="amina")
    response = client.post("/accounts/login/", {"username": "amina", "password": "pass-for-tests"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_public_pages_list_their_alternates(client, reference_data):
    html = client.get("/fr/directory/").content.decode()
    assert _alternates(html) == [
        '<link rel="alternate" hreflang="en" href="http://testserver/directory/">',
        '<link rel="alternate" hreflang="fr" href="http://testserver/fr/directory/">',
        '<link rel="alternate" hreflang="es" href="http://testserver/es/directory/">',
        '<link rel="alternate" hreflang="x-default" href="http://testserver/directory/">',
    ]


@pytest.mark.django_db
def test_pages_without_language_addresses_list_no_alternates(client):
    assert _alternates(client.get("/accounts/login/").content.decode()) == []


@pytest.mark.django_db
def test_header_marks_the_section_in_every_language(client, reference_data):
    html = client.get("/fr/pledges/").content.decode()
    assert 'class="nav-link active" href="/fr/pledges/" data-nav="pledges"' in html
    assert 'class="nav-link" href="/fr/directory/" data-nav="directory"' in html
