"""The membership maps of the directory, a mechanism and a State, drawn in chromium from the npm world atlas."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from mechanisms.models import Membership, State
from pledges.enums import PledgeStatus
from tests.factories import PledgeFactory

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/shots-membership-map"))
AXE = settings.NODE_MODULES / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}


def drawn_and_listed(page, figure_id):
    """M49 codes of the States coloured on the map, and the names listed beside it as too small to see."""
    figure = page.locator(f"#{figure_id}")
    expect(figure).to_have_attribute("data-map-ready", "drawn")
    drawn = set(figure.locator("a[data-m49]").evaluate_all("links => links.map(a => a.dataset.m49)"))
    listed = set(figure.get_by_test_id("map-small-states").get_by_role("link").all_inner_texts())
    return drawn, listed


def current_states(**filters):
    rows = Membership.objects.current().filter(**filters).values_list("state__m49_code", "state__name", "role")
    return {(m49, name) for m49, name, _role in rows}


def assert_axe_clean(page):
    """The maps and their legends and lists have no axe-core violation (the rest of each page is checked with the
    site's other pages)."""
    # Evaluated through the DevTools protocol, which the page's CSP (scripts from 'self' only) does not govern.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        "async () => (await axe.run('[data-membership-map]'))"
        ".violations.map(v => [v.id, v.nodes.map(n => n.target.join(' '))])"
    )
    assert violations == []


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_directory_map_colours_the_states_of_the_filtered_mechanisms_and_opens_a_state_by_keyboard(
    page, reference_data
):
    page.goto("/directory/")
    page.get_by_label("Member or Observer State").select_option("IDN")
    expect(page.get_by_test_id("result-count")).to_have_text("3 mechanisms")
    # htmx swapped the results and the map in: the new map shows the States of those three mechanisms only.
    expect(page.locator("#directory-map")).to_have_attribute("data-map-ready", "drawn")
    expected = current_states(mechanism__memberships__state__iso3="IDN", mechanism__memberships__end_date=None)
    drawn, listed = drawn_and_listed(page, "directory-map")
    assert drawn <= {m49 for m49, _name in expected}
    assert {m49 for m49, name in expected if name in listed} | drawn == {m49 for m49, _name in expected}
    assert "Singapore" in listed  # a Bali Process Member too small for the map's shapes
    assert "France" not in {name for _m49, name in expected}
    expect(page.locator('#directory-map a[data-m49="250"]')).to_have_count(0)
    expect(page.locator('#directory-map a[data-m49="360"] path')).to_have_class(re.compile(r"\bmap-member\b"))
    expect(page.get_by_test_id("map-list").locator("li")).to_have_count(len(expected))
    shoot(page, "directory-en-desktop")

    # Keyboard: the skip link, then the States; focus names the State and Enter opens its page.
    page.get_by_role("link", name="Skip the map").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('data-m49')")
    assert focused in drawn
    page.locator('#directory-map a[data-m49="360"]').focus()
    expect(page.get_by_test_id("map-tooltip")).to_have_text("Indonesia: Member of 3 mechanisms shown")
    expect(page.get_by_test_id("map-tooltip")).to_be_visible()
    assert_axe_clean(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/directory/states/IDN/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Indonesia")
    expect(page.locator("#state-map")).to_have_attribute("data-map-ready", "drawn")
    expect(page.get_by_test_id("map-legend")).to_have_text("Member of 3 mechanisms")
    assert_axe_clean(page)
    shoot(page, "state-en-desktop")


def test_mechanism_map_shows_members_solid_and_observers_hatched(page, bali):
    PledgeFactory(title="Safe and regular pathways for migrant workers from Indonesia to the region by 2030")
    PledgeFactory(title="Data", pledger_state=State.objects.get(iso3="AUS"), status=PledgeStatus.IN_PROGRESS)
    page.goto(f"/directory/mechanisms/{bali.slug}/")
    drawn, listed = drawn_and_listed(page, "mechanism-map")
    members = current_states(mechanism=bali, role="member")
    observers = current_states(mechanism=bali, role="observer")
    everyone = members | observers
    assert drawn | {m49 for m49, name in everyone if name in listed} == {m49 for m49, _name in everyone}
    figure = page.locator("#mechanism-map")
    assert (
        set(figure.locator("path.map-member").evaluate_all("ps => ps.map(p => p.parentNode.dataset.m49)"))
        == {m49 for m49, _name in members} & drawn
    )
    assert (
        set(figure.locator("path.map-observer").evaluate_all("ps => ps.map(p => p.parentNode.dataset.m49)"))
        == {m49 for m49, _name in observers} & drawn
    )
    expect(figure.locator("path.map-observer").first).to_have_attribute("fill", "url(#mechanism-map-hatch)")
    expect(page.get_by_test_id("map-legend").locator("li")).to_have_text(["Member", "Observer"])
    page.locator('#mechanism-map a[data-m49="036"]').hover()
    expect(page.get_by_test_id("map-tooltip")).to_have_text("Australia: Member")
    assert_axe_clean(page)
    # The 2018 vote: one legend, and a mark only beside the States that did not vote in favour.
    expect(page.get_by_test_id("vote-legend")).to_have_count(1)
    expect(page.get_by_test_id("vote-mark")).to_have_count(6)
    expect(page.get_by_text("In favour or not voting", exact=True)).to_have_count(0)
    # Pledges line up: titles on the left, status and IMRF edition on the right of every row.
    rows = page.get_by_test_id("mechanism-pledges").get_by_test_id("pledge-row")
    expect(rows).to_have_count(2)
    rights = [row.locator(".badge").first.bounding_box() for row in rows.all()]
    assert abs(rights[0]["x"] + rights[0]["width"] - rights[1]["x"] - rights[1]["width"]) < 1
    shoot(page, "mechanism-en-desktop")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_maps_fit_a_phone_and_speak_the_page_language(page_in, bali, language):
    page, prefix = page_in(language, PHONE)
    for url, figure_id, name in [
        (f"{prefix}/directory/?kind=RCP", "directory-map", "directory"),
        (f"{prefix}/directory/mechanisms/{bali.slug}/", "mechanism-map", "mechanism"),
        (f"{prefix}/directory/states/IDN/", "state-map", "state"),
    ]:
        page.goto(url)
        figure = page.locator(f"#{figure_id}")
        expect(figure).to_have_attribute("data-map-ready", "drawn")
        svg_box = figure.locator("svg").bounding_box()
        assert 300 < svg_box["width"] <= PHONE["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        if language == "fr":
            expect(page.locator("html")).to_have_attribute("lang", "fr")
            expect(figure.locator("svg")).to_have_attribute("aria-label", "Carte du monde")
        shoot(page, f"{name}-{language}-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    for url, name in [
        (f"{prefix}/directory/?kind=RCP", "directory"),
        (f"{prefix}/directory/mechanisms/{bali.slug}/", "mechanism"),
    ]:
        page.goto(url)
        expect(page.locator("[data-membership-map]")).to_have_attribute("data-map-ready", "drawn")
        shoot(page, f"{name}-{language}-desktop")
