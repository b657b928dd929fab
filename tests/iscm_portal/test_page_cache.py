"""The public page cache (iscm_portal/page_cache.py): anonymous pages from the cache, never stale, never personal."""

import datetime
import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gcm.models import Objective
from iscm_portal import page_cache as page_cache_module
from iscm_portal.page_cache import CSRF_PLACEHOLDER, fragment, storable
from library.services import library_index_review
from mechanisms.enums import MembershipRole
from mechanisms.models import State
from mechanisms.services import mechanism_profile_update, memberships_add
from pledges import services as pledge_services
from pledges import spreadsheets
from reviews.comments import comment_add
from reviews.enums import ReviewStatus
from reviews.workflow import review_transition
from tests.factories import (
    ApprovedReviewFactory,
    PledgeFactory,
    PracticeReportFactory,
    ReviewCycleFactory,
    UserFactory,
    complete_review_create,
    review_in_status,
)
from tests.pledges.test_import import csv_upload, good_row

CSRF_MARK = "csrfmiddlewaretoken"


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture
def approved_review(bali, bali_secretariat, iom_user):
    return review_in_status(ReviewStatus.APPROVED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user)


@pytest.fixture
def public_urls(bali, approved_review):
    return [
        reverse("home"),
        reverse("mechanisms:directory"),
        reverse("mechanisms:directory") + "?kind=RCP&q=process",
        reverse("mechanisms:overview") + "?region=142",
        reverse("mechanisms:mechanism_detail", args=[bali.slug]),
        reverse("mechanisms:state_detail", args=["IDN"]),
        reverse("pledges:list"),
        reverse("pledges:dashboard"),
        reverse("library:practice_list"),
        reverse("library:search") + "?q=migration",
        reverse("reviews:review_detail", args=[approved_review.pk]),
        "/fr" + reverse("mechanisms:directory"),
    ]


def anonymous_get(url, **extra):
    return Client().get(url, **extra)


def served_from_cache(url, django_assert_num_queries, **extra):
    """The page as a second anonymous visitor gets it, which must cost no SQL query: it comes from the cache."""
    with django_assert_num_queries(0):
        return anonymous_get(url, **extra)


def test_every_public_page_served_to_the_next_visitor_from_cache_without_cookie_or_token(
    page_cache, public_urls, django_assert_num_queries
):
    for url in public_urls:
        first = anonymous_get(url)
        assert first.status_code == 200, url
        cached = served_from_cache(url, django_assert_num_queries)
        assert cached.status_code == 200, url
        assert cached.content == first.content, url
        assert cached.cookies == {}, url
        assert not cached.has_header("Set-Cookie"), url
        assert CSRF_MARK not in cached.content.decode(), url


def test_directory_filter_combinations_cached_apart(page_cache, reference_data, django_assert_num_queries):
    url = reverse("mechanisms:directory")
    rcp, irf = anonymous_get(url + "?kind=RCP"), anonymous_get(url + "?kind=GLOBAL")
    assert rcp.context["directory"].page.paginator.count != irf.context["directory"].page.paginator.count
    assert served_from_cache(url + "?kind=RCP", django_assert_num_queries).content == rcp.content
    assert served_from_cache(url + "?kind=GLOBAL", django_assert_num_queries).content == irf.content


def test_htmx_results_and_full_page_cached_apart(page_cache, reference_data, django_assert_num_queries):
    url = reverse("mechanisms:directory") + "?kind=RCP"
    full = anonymous_get(url)
    partial = anonymous_get(url, headers={"HX-Request": "true"})
    assert b"<html" in full.content
    assert b"<html" not in partial.content
    assert served_from_cache(url, django_assert_num_queries, headers={"HX-Request": "true"}).content == partial.content
    assert served_from_cache(url, django_assert_num_queries).content == full.content


def test_mechanism_profile_edit_shows_on_next_anonymous_request(page_cache, bali, django_capture_on_commit_callbacks):
    url = reverse("mechanisms:mechanism_detail", args=[bali.slug])
    assert "A forum on people smuggling, updated" not in anonymous_get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        mechanism_profile_update(mechanism=bali, values={"description": "A forum on people smuggling, updated"})
    assert "A forum on people smuggling, updated" in anonymous_get(url).content.decode()


def test_membership_change_shows_on_next_anonymous_request(page_cache, bali, django_capture_on_commit_callbacks):
    chad = State.objects.get(iso3="TCD")
    urls = [reverse("mechanisms:mechanism_detail", args=[bali.slug]), reverse("mechanisms:state_detail", args=["TCD"])]
    before = [anonymous_get(url).content.decode() for url in urls]
    assert bali.acronym not in before[1]
    with django_capture_on_commit_callbacks(execute=True):
        memberships_add(
            mechanism=bali, states=[chad], role=MembershipRole.OBSERVER, start_date=datetime.date(2026, 1, 1)
        )
    after = [anonymous_get(url).content.decode() for url in urls]
    assert after[0].count(chad.name) > before[0].count(chad.name)
    assert bali.acronym in after[1]


def test_review_approved_shows_on_next_anonymous_request(
    page_cache, bali, bali_secretariat, iom_user, django_capture_on_commit_callbacks
):
    submitted = review_in_status(ReviewStatus.SUBMITTED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user)
    mechanism_url = reverse("mechanisms:mechanism_detail", args=[bali.slug])
    review_url = reverse("reviews:review_detail", args=[submitted.pk])
    assert review_url not in anonymous_get(mechanism_url).content.decode()
    assert anonymous_get(review_url).status_code == 302  # not public yet: the login page
    with django_capture_on_commit_callbacks(execute=True):
        review_transition(review=submitted, action="approve", by=iom_user)
    assert review_url in anonymous_get(mechanism_url).content.decode()
    assert anonymous_get(review_url).status_code == 200


def test_pledge_saved_and_published_shows_on_next_anonymous_request(
    page_cache, reference_data, iom_user, django_capture_on_commit_callbacks
):
    url = reverse("pledges:list")
    pledge = PledgeFactory(title="Before the edit")
    assert "Before the edit" in anonymous_get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        pledge_services.pledge_update(pledge=pledge, by=iom_user, fields={"title": "After the edit"}, relations={})
    html = anonymous_get(url).content.decode()
    assert ("Before the edit" in html, "After the edit" in html) == (False, True)
    with django_capture_on_commit_callbacks(execute=True):
        pledge_services.pledge_publish(pledge=pledge, by=iom_user, published=False)
    assert "After the edit" not in anonymous_get(url).content.decode()


def test_pledges_imported_show_on_next_anonymous_request(
    page_cache, reference_data, iom_user, django_capture_on_commit_callbacks
):
    urls = [reverse("pledges:list"), reverse("pledges:dashboard")]
    before = [anonymous_get(url) for url in urls]
    assert before[1].context["dashboard"].total == 0
    parsed = spreadsheets.parse_rows(spreadsheets.read_table(csv_upload([good_row(1), good_row(2)])))
    with django_capture_on_commit_callbacks(execute=True):
        pledge_services.pledges_import(rows=parsed.rows, by=iom_user)
    after = [anonymous_get(url) for url in urls]
    assert ("Pledge 1" in after[0].content.decode(), "Pledge 2" in after[0].content.decode()) == (True, True)
    assert after[1].context["dashboard"].total == 2


def test_library_reindex_shows_on_next_anonymous_search(page_cache, bali, django_capture_on_commit_callbacks):
    review = ApprovedReviewFactory(mechanism=bali, cycle=ReviewCycleFactory(review_year=2024))
    url = reverse("library:search") + "?q=seaweed"
    assert anonymous_get(url).context["page"].paginator.count == 0
    PracticeReportFactory(review=review, objective=Objective.objects.get(number=6), good_practices="Seaweed farming")
    with django_capture_on_commit_callbacks(execute=True):
        library_index_review(review=review)
    assert anonymous_get(url).context["page"].paginator.count == 1


def test_package_compiled_expires_public_review_page(
    page_cache, approved_review, iom_user, django_capture_on_commit_callbacks, django_assert_num_queries
):
    from packages.services import package_create
    from tests.packages.helpers import compile_now

    url = reverse("reviews:review_detail", args=[approved_review.pk])
    anonymous_get(url)
    served_from_cache(url, django_assert_num_queries)
    package = package_create(cycle=approved_review.cycle, title="IMRF input", by=iom_user)
    assert compile_now(package, iom_user, django_capture_on_commit_callbacks).status == "done"
    assert anonymous_get(url).context is not None  # rendered again, not from the cache


def test_language_switch_by_visitor_without_token_and_page_in_that_language(page_cache, reference_data):
    visitor = Client(enforce_csrf_checks=True)
    url = reverse("mechanisms:directory")
    english = visitor.get(url)
    assert english.headers["Content-Language"] == "en"
    assert CSRF_MARK not in english.content.decode()
    switched = visitor.post(reverse("set_language"), {"language": "fr", "next": url})
    assert (switched.status_code, switched.headers["Location"]) == (302, "/fr/directory/")
    followed = visitor.get(url)  # the unprefixed address follows the cookie
    assert (followed.status_code, followed.headers["Location"]) == (302, "/fr/directory/")
    french = visitor.get("/fr/directory/")
    assert french.headers["Content-Language"] == "fr"
    assert french.content != english.content
    # Another visitor's cached English page is still English.
    assert Client().get(url).headers["Content-Language"] == "en"


def test_language_switch_by_signed_in_user_still_needs_the_token(reference_data):
    user = UserFactory(username="someone")
    member = Client(enforce_csrf_checks=True)
    member.force_login(user)
    refused = member.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert refused.status_code == 403
    page = member.get(reverse("mechanisms:directory"))
    token = page.content.decode().split(f'name="{CSRF_MARK}" value="')[1].split('"')[0]
    accepted = member.post(reverse("set_language"), {"language": "fr", "next": "/", CSRF_MARK: token})
    assert accepted.status_code == 302
    user.refresh_from_db()
    assert user.language == "fr"


def test_signed_in_users_get_their_own_live_page(page_cache, reference_data):
    url = reverse("mechanisms:directory")
    anonymous_get(url)
    pages = {}
    for username in ("alice-sec", "bob-sec"):
        member = Client()
        member.force_login(UserFactory(username=username, first_name=username.title(), last_name="Tester"))
        pages[username] = member.get(url).content.decode()
    assert ("Alice-Sec Tester" in pages["alice-sec"], "Bob-Sec Tester" in pages["alice-sec"]) == (True, False)
    assert ("Alice-Sec Tester" in pages["bob-sec"], "Bob-Sec Tester" in pages["bob-sec"]) == (False, True)
    assert CSRF_MARK in pages["bob-sec"]
    # And a signed-in page never ends up in the cache for visitors.
    assert "Tester" not in anonymous_get(url).content.decode()


def test_visitor_with_a_message_gets_the_live_page_and_it_is_not_cached(
    page_cache, reference_data, django_assert_num_queries
):
    url = reverse("mechanisms:directory")
    visitor = Client()
    visitor.cookies["messages"] = CookieStorage(HttpRequest())._encode(
        [Message(constants.INFO, "Your message was sent.")]
    )
    assert "Your message was sent." in visitor.get(url).content.decode()
    assert "Your message was sent." not in anonymous_get(url).content.decode()
    served_from_cache(url, django_assert_num_queries)


def test_response_setting_a_cookie_or_carrying_a_token_is_never_stored():
    request = HttpRequest()
    request.user = AnonymousUser()
    assert storable(request, HttpResponse("<p>plain</p>")) is True
    with_cookie = HttpResponse("<p>plain</p>")
    with_cookie.set_cookie("sessionid", "x")
    assert storable(request, with_cookie) is False
    assert storable(request, HttpResponse(f'<input type="hidden" name="{CSRF_MARK}" value="x">')) is False
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # the page asked for a token
    assert storable(request, HttpResponse("<p>plain</p>")) is False


def _without_tokens(html: str) -> str:
    return re.sub(rf'name="{CSRF_MARK}" value="[^"]+"', "", html)


def _without_times(html: str) -> str:
    return re.sub(r"<time [^>]*>.*?</time>", "", html, flags=re.S)


def _iom_board_statuses(html: str) -> dict[str, str]:
    return dict(re.findall(r'<tr data-mechanism="([^"]+)" data-status="([^"]+)"', html))


def test_iom_board_cached_for_iom_staff_and_fresh_after_each_review_change(
    page_cache, bali, bali_secretariat, iom_user, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    submitted = review_in_status(ReviewStatus.SUBMITTED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user)
    staff = Client()
    staff.force_login(iom_user)
    url = reverse("reviews:iom_dashboard")
    first = staff.get(url).content.decode()
    assert _iom_board_statuses(first)["bali-process"] == "submitted"
    with django_assert_max_num_queries(6):  # session, user, cycles, the outbox panel: not the board's
        again = staff.get(url).content.decode()
    # The same page but for the outbox panel's "oldest recorded n seconds ago", which moves with the clock.
    assert _without_tokens(_without_times(again)) == _without_tokens(_without_times(first))
    with django_capture_on_commit_callbacks(execute=True):
        comment_add(review=submitted, part="objective:6", body="Please add the figures.", by=iom_user)
    assert 'data-count="submitted">1<' in staff.get(url).content.decode()
    after_comment = staff.get(url).content.decode()
    assert '<span class="badge text-bg-warning">1</span>' in after_comment
    with django_capture_on_commit_callbacks(execute=True):
        review_transition(review=submitted, action="start_review", by=iom_user)
    assert _iom_board_statuses(staff.get(url).content.decode())["bali-process"] == "in_review"
    # The board is IOM's: a secretariat is still refused, cached board or not.
    secretariat = Client()
    secretariat.force_login(bali_secretariat)
    assert secretariat.get(url).status_code == 403


def test_fragment_holding_a_csrf_token_is_never_stored(page_cache):
    renders = []

    def render():
        renders.append(1)
        return f'<input type="hidden" name="{CSRF_MARK}" value="secret">'

    for _ in range(2):
        fragment("test-token", kinds=[page_cache_module.REVIEWS], vary=["en"], render=render)
    assert len(renders) == 2


def test_directory_filter_counts_cached_for_signed_in_users_and_fresh_after_membership_change(
    page_cache, bali, bali_secretariat, django_capture_on_commit_callbacks
):
    member = Client()
    member.force_login(bali_secretariat)
    url = reverse("mechanisms:directory")

    def chad_option(html: str) -> str:
        return re.search(r'<option value="TCD"[^>]*>([^<]*)</option>', html).group(1)

    before = chad_option(member.get(url).content.decode())
    assert chad_option(member.get(url).content.decode()) == before
    with django_capture_on_commit_callbacks(execute=True):
        memberships_add(
            mechanism=bali,
            states=[State.objects.get(iso3="TCD")],
            role=MembershipRole.OBSERVER,
            start_date=datetime.date(2026, 1, 1),
        )
    count = int(re.search(r"\((\d+)\)", before).group(1))
    assert chad_option(member.get(url).content.decode()) == before.replace(f"({count})", f"({count + 1})")


def test_cached_page_answers_with_the_headers_of_the_page_rendered_live(
    page_cache, reference_data, django_assert_num_queries
):
    url = reverse("mechanisms:directory")
    live = anonymous_get(url)
    cached = served_from_cache(url, django_assert_num_queries)
    for header in ("Content-Type", "Content-Language", "Vary", "X-Frame-Options", "Content-Security-Policy"):
        assert cached.headers[header] == live.headers[header], header
    assert "Accept-Language" in cached.headers["Vary"]


def test_visitor_choosing_french_by_cookie_or_browser_never_gets_the_cached_english_page(
    page_cache, reference_data, django_assert_num_queries
):
    url = reverse("mechanisms:directory")
    assert anonymous_get(url).headers["Content-Language"] == "en"
    served_from_cache(url, django_assert_num_queries)
    by_cookie = Client()
    by_cookie.cookies["django_language"] = "fr"
    assert (by_cookie.get(url).status_code, by_cookie.get(url).headers["Location"]) == (302, "/fr/directory/")
    by_browser = anonymous_get(url, headers={"Accept-Language": "es"})
    assert (by_browser.status_code, by_browser.headers["Location"]) == (302, "/es/directory/")
    french = anonymous_get("/fr/directory/", headers={"Accept-Language": "es"})
    assert french.headers["Content-Language"] == "fr"
    assert served_from_cache("/fr/directory/", django_assert_num_queries).content == french.content


def test_unknown_host_refused_even_for_a_cached_page(page_cache, reference_data, django_assert_num_queries):
    url = reverse("mechanisms:directory")
    anonymous_get(url)
    served_from_cache(url, django_assert_num_queries)
    assert anonymous_get(url, headers={"Host": "evil.example"}).status_code == 400


def test_secretariat_dashboard_cached_per_user_with_each_request_s_own_token_and_fresh_after_a_start(
    page_cache,
    bali,
    bali_secretariat,
    midwa_secretariat,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    cycle = ReviewCycleFactory(review_year=2026)
    url = reverse("reviews:my_reviews")
    clients = {}
    for user in (bali_secretariat, midwa_secretariat):
        clients[user.username] = Client(enforce_csrf_checks=True)
        clients[user.username].force_login(user)
    pages = {username: member.get(url).content.decode() for username, member in clients.items()}
    shown = {username: re.findall(r'data-testid="mechanism-([a-z-]+)"', html) for username, html in pages.items()}
    assert shown == {"bali-sec": ["bali-process"], "midwa-sec": ["midwa"]}
    with django_assert_max_num_queries(3):  # session, user, their mechanisms: the dashboard is from the cache
        again = clients["bali-sec"].get(url).content.decode()
    assert _without_tokens(again) == _without_tokens(pages["bali-sec"])
    assert CSRF_PLACEHOLDER not in again
    # The cached start form carries this request's own token, and the review starts with it.
    token = re.search(rf'name="{CSRF_MARK}" value="([^"]+)"', again).group(1)
    start_url = reverse("reviews:review_start", args=[cycle.slug, bali.slug])
    assert f'action="{start_url}"' in again
    with django_capture_on_commit_callbacks(execute=True):
        started = clients["bali-sec"].post(start_url, {CSRF_MARK: token})
    assert started.status_code == 302
    after = clients["bali-sec"].get(url).content.decode()
    assert (f'action="{start_url}"' in after, "Continue writing" in after) == (False, True)
    assert re.findall(r'data-testid="mechanism-([a-z-]+)"', clients["midwa-sec"].get(url).content.decode()) == ["midwa"]


def test_fragment_with_the_token_placeholder_stored_once_and_given_each_request_s_token(page_cache, rf):
    renders = []

    def render():
        renders.append(1)
        return f'<input type="hidden" name="{CSRF_MARK}" value="{CSRF_PLACEHOLDER}">'

    requests = [rf.get("/"), rf.get("/")]
    html = [
        fragment("test-form", kinds=[page_cache_module.REVIEWS], vary=["en"], render=render, request=r)
        for r in requests
    ]
    assert len(renders) == 1
    tokens = [re.search(r'value="([^"]+)"', part).group(1) for part in html]
    assert CSRF_PLACEHOLDER not in tokens and tokens[0] != tokens[1]


def _chip_classes(html: str, number: int) -> str:
    return re.search(
        rf'class="(objective-chip[^"]*)"\s+title="[^"]*" data-testid="objective-chip-{number}"', html
    ).group(1)


def test_objective_chips_cached_and_fresh_after_each_save(
    page_cache, bali, bali_secretariat, django_capture_on_commit_callbacks
):
    from reviews.services import objective_report_save, review_create

    with django_capture_on_commit_callbacks(execute=True):
        review = review_create(mechanism=bali, cycle=ReviewCycleFactory(review_year=2026), by=bali_secretariat)
    member = Client()
    member.force_login(bali_secretariat)
    url = reverse("reviews:review_edit_objective", args=[review.pk, 6])
    first = member.get(url).content.decode()
    assert (_chip_classes(first, 6), _chip_classes(first, 7)) == ("objective-chip active", "objective-chip")
    again = member.get(url).content.decode()
    assert _without_tokens(again) == _without_tokens(first)
    # Another objective's page marks its own chip, not the one cached for objective 6.
    assert _chip_classes(
        member.get(reverse("reviews:review_edit_objective", args=[review.pk, 7])).content.decode(), 7
    ) == ("objective-chip active")
    with django_capture_on_commit_callbacks(execute=True):
        objective_report_save(
            review=review,
            objective=Objective.objects.get(number=7),
            data={"progress": "Fewer deaths at sea.", "good_practices": "Joint patrols."},
            loaded_revision=0,
            by=bali_secretariat,
        )
    assert _chip_classes(member.get(url).content.decode(), 7) == "objective-chip is-complete"


def without_token(html: str) -> str:
    return re.sub(f'name="{CSRF_MARK}" value="[^"]+"', "", html)


def map_entries(html: str) -> dict[str, str]:
    """The directory map's States (M49 code: role), from the data its script reads."""
    data = re.search(r'<script id="directory-map-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    return {entry["m49"]: entry["role"] for entry in json.loads(data)}


def test_directory_map_and_filters_cached_for_signed_in_users_cost_no_query_until_the_directory_changes(
    page_cache, bali, bali_secretariat, django_assert_num_queries, django_capture_on_commit_callbacks
):
    member = Client()
    member.force_login(bali_secretariat)
    url = reverse("mechanisms:directory") + "?q=bali"  # the Bali Process alone: Chad takes no part in it
    with django_assert_num_queries(12):  # the session and user, then the page's: the filters' counts, the map...
        cold = member.get(url).content.decode()
    with django_assert_num_queries(6):  # ...which come from the cache now: the results alone are read
        warm = member.get(url).content.decode()
    assert without_token(warm) == without_token(cold)
    chad = State.objects.get(iso3="TCD")
    assert chad.m49_code not in map_entries(cold)
    with django_capture_on_commit_callbacks(execute=True):
        memberships_add(
            mechanism=bali, states=[chad], role=MembershipRole.OBSERVER, start_date=datetime.date(2026, 1, 1)
        )
    assert map_entries(member.get(url).content.decode())[chad.m49_code] == MembershipRole.OBSERVER


@pytest.mark.parametrize("page", ["pledges:list", "pledges:dashboard"])
def test_pledge_filters_cached_for_signed_in_users_and_fresh_after_a_mechanism_change(
    page_cache, page, bali, bali_secretariat, django_capture_on_commit_callbacks
):
    member = Client()
    member.force_login(bali_secretariat)
    url = reverse(page) + "?state=IDN"

    def mechanism_options(html: str) -> list[str]:
        select = re.search(r'<select name="mechanism".*?</select>', html, re.S).group(0)
        return re.findall(r"<option[^>]*>([^<]*)</option>", select)

    cold = member.get(url).content.decode()
    with CaptureQueriesContext(connection) as cold_queries:
        assert without_token(member.get(url).content.decode()) == without_token(cold)
    assert "BP" not in mechanism_options(cold)
    with django_capture_on_commit_callbacks(execute=True):
        mechanism_profile_update(mechanism=bali, values={"acronym": "BP"})
    with CaptureQueriesContext(connection) as fresh_queries:
        assert "BP" in mechanism_options(member.get(url).content.decode())
    # The filters' four lists of choices (objectives, regions, States, mechanisms) are read only to render them.
    assert len(fresh_queries) == len(cold_queries) + 4


def test_checked_copied_part_leaves_the_cached_chips_and_panel_at_once(
    page_cache, bali, bali_secretariat, iom_user, django_capture_on_commit_callbacks
):
    from reviews.services import review_start_from_previous

    with django_capture_on_commit_callbacks(execute=True):
        previous = complete_review_create(mechanism=bali, cycle=ReviewCycleFactory(review_year=2020), objectives=(6,))
        review_transition(review=previous, action="submit", by=bali_secretariat)
        review_transition(review=previous, action="approve", by=iom_user, confirmed=True)
        review = review_start_from_previous(
            mechanism=bali, cycle=ReviewCycleFactory(review_year=2024), by=bali_secretariat
        )
    member = Client()
    member.force_login(bali_secretariat)
    url = reverse("reviews:review_edit_objective", args=[review.pk, 7])
    before = member.get(url).content.decode()
    assert _chip_classes(before, 6) == "objective-chip is-copied"
    assert _problems_blocking(member.get(url).content.decode()) == _problems_blocking(before)  # from the cache
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(reverse("reviews:copied_part_confirm", args=[review.pk, "objective:6"]))
    assert response.status_code == 302
    after = member.get(url).content.decode()
    assert _chip_classes(after, 6) == "objective-chip is-complete"
    assert _problems_blocking(after) == _problems_blocking(before) - 1


def _problems_blocking(html: str) -> int:
    """The completeness panel's count of problems blocking submission."""
    return int(re.search(r"(\d+) problems? blocks? submission", html).group(1))


@pytest.mark.parametrize("objectives", [1, 23])
def test_objective_editor_with_its_steps_and_panel_cached_reads_only_the_objective_shown(
    page_cache, bali, bali_secretariat, django_assert_num_queries, objectives
):
    review = complete_review_create(mechanism=bali, objectives=range(1, objectives + 1))
    member = Client()
    member.force_login(bali_secretariat)
    url = reverse("reviews:review_edit_objective", args=[review.pk, 1])
    first = member.get(url)
    # Session, user, the secretariat's mechanisms, the review, the report shown and its principles' ids: not the
    # other reports, States, meetings or attachments the steps and the panel are drawn from, nor the comments,
    # the header, the objectives or the principles to choose from (all from the cache).
    with django_assert_num_queries(6):
        again = member.get(url)
    assert _without_tokens(again.content.decode()) == _without_tokens(first.content.decode())


def _token_of_form(html: str, action: str) -> str:
    form = re.search(rf'<form method="post" action="{re.escape(action)}".*?</form>', html, re.S).group(0)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)


def test_objective_editor_comments_from_the_cache_take_a_reply_and_show_it_at_once(
    page_cache, bali, bali_secretariat, iom_user, django_capture_on_commit_callbacks
):
    review = review_in_status(
        ReviewStatus.CHANGES_REQUESTED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user
    )
    thread = review.comments.get()  # IOM's comment on objective 6
    member = Client(enforce_csrf_checks=True)
    member.force_login(bali_secretariat)
    url = reverse("reviews:review_edit_objective", args=[review.pk, 6])
    first = member.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = member.get(url).content.decode()
    assert not [query for query in queries.captured_queries if "reviews_comment" in query["sql"]]  # the cache's
    assert thread.body in again and CSRF_PLACEHOLDER not in again
    assert _without_tokens(again) == _without_tokens(first)
    reply_url = reverse("reviews:comment_reply", args=[thread.pk])
    # The reply form of the cached column carries this request's own token: the reply is accepted.
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(
            reply_url,
            {
                "body": "Table 2 now gives the 2025 figures.",
                "next": url,
                "csrfmiddlewaretoken": _token_of_form(again, reply_url),
            },
        )
    assert response.status_code == 302
    assert "Table 2 now gives the 2025 figures." in member.get(url).content.decode()


def _header(html: str) -> str:
    return re.search(r"<header>.*?</header>", html, re.S).group(0)


def test_cached_header_is_each_users_own_and_follows_a_change_of_role_at_once(page_cache, bali, bali_secretariat):
    colleague = UserFactory(
        username="bali-colleague", first_name="Ana", last_name="Lima", secretariat_mechanisms=[bali]
    )
    url = reverse("mechanisms:directory")
    clients = {}
    for user in (bali_secretariat, colleague):
        clients[user] = Client(enforce_csrf_checks=True)
        clients[user].force_login(user)
        for _visit in range(2):  # drawn, then from the cache
            header = _header(clients[user].get(url).content.decode())
            assert user.get_full_name() in header
    assert 'data-nav="iom"' not in header
    # A role given without any other change (no content kind expires): the menu is the new role's at once.
    colleague.is_iom_staff = True
    colleague.save(update_fields=["is_iom_staff"])
    header = _header(clients[colleague].get(url).content.decode())
    assert 'data-nav="iom"' in header and "Ana Lima" in header
    # The log-out form of the cached header carries this request's own token.
    response = clients[colleague].post(
        reverse("logout"), {"csrfmiddlewaretoken": _token_of_form(header, reverse("logout"))}
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in clients[colleague].session


def test_objective_title_edited_in_the_admin_shows_at_once_in_the_cached_editor(
    page_cache, bali, bali_secretariat, admin_user
):
    review = complete_review_create(mechanism=bali, objectives=(1,))
    member = Client()
    member.force_login(bali_secretariat)
    url = reverse("reviews:review_edit_objective", args=[review.pk, 1])
    objective = Objective.objects.get(number=1)
    assert objective.title in member.get(url).content.decode()
    member.get(url)  # the objectives and the steps from the cache now
    administrator = Client()
    administrator.force_login(admin_user)
    response = administrator.post(
        reverse("admin:gcm_objective_change", args=[objective.pk]),
        {
            "number": 1,
            "title": "Collect and utilize accurate and disaggregated data (corrected)",
            "title_fr": objective.title_fr,
            "title_es": objective.title_es,
            "short_label": objective.short_label,
            "annex_paragraph": objective.annex_paragraph,
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    assert "disaggregated data (corrected)" in member.get(url).content.decode()
