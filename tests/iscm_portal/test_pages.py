import pytest


@pytest.mark.django_db
def test_home_shows_reference_figures(client, reference_data):
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["mechanism_counts"] == {"total": 32, "rcp": 15, "irf": 15, "global_processes": 2}
    assert response.context["state_count"] == 208
    assert response.context["objective_count"] == 23


@pytest.mark.django_db
def test_unknown_page_uses_site_404_template(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert [t.name for t in response.templates][0] == "404.html"


@pytest.mark.django_db
def test_anonymous_navigation_hides_iom_dashboard(client, reference_data):
    html = client.get("/").content.decode()
    assert 'data-nav="directory"' in html
    assert 'data-nav="iom"' not in html
    assert 'data-nav="reviews"' not in html


@pytest.mark.django_db
def test_iom_navigation_shows_iom_dashboard(client, iom_user, reference_data):
    client.force_login(iom_user)
    html = client.get("/").content.decode()
    assert 'data-nav="iom"' in html
    assert 'data-nav="reviews"' in html


@pytest.mark.django_db
def test_pages_send_content_security_policy(client, reference_data):
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_name_their_icon_so_browsers_do_not_ask_for_a_missing_favicon(client, reference_data):
    import re
    from pathlib import Path

    from django.contrib.staticfiles import finders

    html = client.get("/").content.decode()
    icon = re.search(r'<link rel="icon" href="/static/([^"]+)" type="image/svg\+xml">', html)
    assert icon, "the page names no icon"
    path = finders.find(icon.group(1))
    assert path and Path(path).read_text().lstrip().startswith("<svg")
