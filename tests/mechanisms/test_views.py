import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from mechanisms.enums import MembershipRole
from mechanisms.models import ChairTerm, Mechanism, Membership, Region, State
from tests.factories import directory_volume_create

pytestmark = pytest.mark.django_db


def rows_of_csv(response) -> list[dict]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def bali_reviewed(bali):
    """Two review cycles for the Bali Process, created straight through the reviews models' relations."""
    Review = Mechanism._meta.get_field("reviews").related_model
    ReviewCycle = Review._meta.get_field("cycle").related_model
    Objective = Review._meta.get_field("objective_reports").related_model._meta.get_field("objective").related_model
    old = ReviewCycle.objects.create(
        name="2020 regional reviews",
        slug="r2020",
        review_year=2020,
        imrf_year=2022,
        opens_on=datetime.date(2020, 1, 1),
        due_on=datetime.date(2020, 12, 31),
    )
    new = ReviewCycle.objects.create(
        name="2024 regional reviews",
        slug="r2024",
        review_year=2024,
        imrf_year=2026,
        opens_on=datetime.date(2024, 1, 1),
        due_on=datetime.date(2024, 12, 31),
    )
    approved = Review.objects.create(mechanism=bali, cycle=old, status="approved")
    draft = Review.objects.create(mechanism=bali, cycle=new, status="draft")
    for number in (10, 11):
        approved.objective_reports.create(objective=Objective.objects.get(number=number))
    draft.objective_reports.create(objective=Objective.objects.get(number=2))
    return bali


# --- directory ------------------------------------------------------------------------------------------------


def test_directory_lists_every_mechanism_with_counts(client, reference_data):
    response = client.get(reverse("mechanisms:directory"), {"sort": "-member_count"})
    page = response.context["directory"].page
    assert response.status_code == 200
    assert page.paginator.count == 32
    assert [(m.acronym, m.member_count, m.observer_count) for m in page.object_list[:3]] == [
        ("ACP-EU MD", 107, 0),
        ("MMD", 81, 0),
        ("EU-CELAC MD", 60, 0),
    ]


def test_directory_second_page_keeps_filters_in_links(client, reference_data):
    response = client.get(reverse("mechanisms:directory"), {"kind": "", "q": "", "page": "2"})
    assert [m.acronym for m in response.context["directory"].page.object_list][:2] == ["MIDWA", "MMD"]
    assert 'href="?kind=&amp;q=&amp;page=1"' in response.content.decode()


def test_directory_filter_by_state_shows_exactly_its_mechanisms(client, reference_data):
    response = client.get(reverse("mechanisms:directory"), {"state": "GHA"})
    acronyms = [m.acronym for m in response.context["directory"].page.object_list]
    assert acronyms == ["ACP-EU MD", "MIDWA", "MMD", "MTM", "PAFOM", "Rabat Process"]
    assert set(acronyms) == set(
        Membership.objects.current().filter(state__iso3="GHA").values_list("mechanism__acronym", flat=True)
    )
    assert response.context["directory"].active == {"state": ("Ghana", "?")}


def test_directory_htmx_request_returns_the_fragment_only(client, reference_data):
    response = client.get(reverse("mechanisms:directory"), {"kind": "GLOBAL"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="directory"')
    assert "<html" not in body
    assert [m.acronym for m in response.context["directory"].page.object_list] == ["GFMD", "IDM"]


def test_directory_csv_export_follows_filters(client, reference_data):
    response = client.get(reverse("mechanisms:directory_export", args=["csv"]), {"state": "IDN", "sort": "name"})
    rows = rows_of_csv(response)
    assert response["Content-Disposition"] == 'attachment; filename="iscm-directory.csv"'
    assert [(r["acronym"], r["kind"], r["members"]) for r in rows] == [
        ("ADD", "IRF", "18"),
        ("Bali Process", "IRF", "45"),
        ("Colombo Process", "RCP", "12"),
    ]
    assert rows[1]["url"] == "http://testserver/directory/mechanisms/bali-process/"


def test_directory_json_export_follows_filters(client, reference_data):
    response = client.get(reverse("mechanisms:directory_export", args=["json"]), {"kind": "GLOBAL"})
    data = json.loads(response.content)
    assert [(d["acronym"], d["regions"], d["gcm_review_mandate"]) for d in data] == [
        ("GFMD", ["World"], None),
        ("IDM", ["World"], None),
    ]


def test_directory_export_unknown_format_is_404(client, reference_data):
    assert client.get("/directory/export.xml").status_code == 404


# --- mechanism page -------------------------------------------------------------------------------------------


def test_mechanism_page_groups_members_and_observers(client, midwa):
    ChairTerm.objects.create(
        mechanism=midwa,
        state=State.objects.get(iso3="GHA"),
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2024, 1, 1),
    )
    ChairTerm.objects.create(mechanism=midwa, state=State.objects.get(iso3="SEN"), start_date=datetime.date(2024, 1, 1))
    response = client.get(midwa.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["members"]) == 15
    assert [m.state.iso3 for m in response.context["observers"]] == ["FRA", "CHE"]
    assert response.context["chair"].state.iso3 == "SEN"
    assert [(t.state.iso3, t.end_date) for t in response.context["mechanism"].chair_history] == [
        ("SEN", None),
        ("GHA", datetime.date(2024, 1, 1)),
    ]
    assert [m.acronym for m in response.context["sharing_members"]][:1] == ["ACP-EU MD"]
    body = response.content.decode()
    assert 'data-testid="member-count">15<' in body
    assert "Edit profile" not in body


def test_mechanism_page_shows_an_anonymous_visitor_only_approved_reviews(client, bali_reviewed):
    # The 2024 draft is the secretariat's working copy: neither it, its status nor its objective is public.
    response = client.get(bali_reviewed.get_absolute_url())
    body = response.content.decode()
    assert [(r.cycle.name, r.status) for r in response.context["reviews"]] == [("2020 regional reviews", "approved")]
    assert [(o.number, o.review_count) for o in response.context["objectives"]] == [(10, 1), (11, 1)]
    assert "2020 regional reviews" in body
    assert "2024 regional reviews" not in body
    assert "review-status-draft" not in body


def test_mechanism_page_unknown_slug_is_404(client, reference_data):
    assert client.get("/directory/mechanisms/nope/").status_code == 404


def test_mechanism_membership_csv_lists_current_members_with_stance(client, midwa):
    response = client.get(
        reverse("mechanisms:mechanism_members_export", args=[midwa.slug, "csv"]), {"role": "observer"}
    )
    rows = rows_of_csv(response)
    assert [(r["iso3"], r["role"], r["gcm_vote_2018"]) for r in rows] == [
        ("FRA", "observer", "in_favour_or_not_voting"),
        ("CHE", "observer", "abstained"),
    ]


def test_mechanism_membership_json_with_history_includes_departures(client, midwa):
    Membership.objects.filter(mechanism=midwa, state__iso3="MLI").update(end_date=datetime.date(2025, 1, 29))
    response = client.get(reverse("mechanisms:mechanism_members_export", args=[midwa.slug, "json"]), {"history": "1"})
    mali = [r for r in json.loads(response.content) if r["iso3"] == "MLI"]
    assert mali == [
        {
            "iso3": "MLI",
            "state": "Mali",
            "role": "member",
            "since": None,
            "until": "2025-01-29",
            "region": "Africa",
            "subregion": "Western Africa",
            "gcm_vote_2018": "in_favour_or_not_voting",
            "note": "",
        }
    ]


# --- State page and overview ----------------------------------------------------------------------------------


def test_state_page_lists_mechanisms_roles_and_stance(client, reference_data):
    response = client.get(reverse("mechanisms:state_detail", args=["che"]))
    assert response.status_code == 200
    assert [(m.mechanism.acronym, m.role) for m in response.context["current"]] == [
        (m.mechanism.acronym, m.role)
        for m in Membership.objects.current()
        .filter(state__iso3="CHE")
        .select_related("mechanism")
        .order_by("mechanism__kind", "mechanism__acronym")
    ]
    assert ("MIDWA", MembershipRole.OBSERVER) in [(m.mechanism.acronym, m.role) for m in response.context["current"]]
    assert 'data-testid="gcm-stance">Abstained<' in response.content.decode()


def test_state_page_marks_the_focal_points_own_state_and_lists_reviews(client, indonesia_focal_point, bali_reviewed):
    client.force_login(indonesia_focal_point)
    response = client.get(reverse("mechanisms:state_detail", args=["IDN"]))
    assert response.context["is_own_state"] is True
    # The 2024 review is still a draft: the focal point reads it once the secretariat submits it.
    assert [(r.mechanism.acronym, r.cycle.review_year) for r in response.context["reviews"]] == [
        ("Bali Process", 2020),
    ]
    assert "Your State" in response.content.decode()


def test_focal_point_lands_on_own_state_page_after_login(client, indonesia_focal_point):
    response = client.post(reverse("login"), {"username": "idn-focal", "password": "pass-for-tests"}, follow=True)
    assert response.redirect_chain[-1][0] == "/directory/states/IDN/"


def test_overview_shows_region_matrix(client, reference_data):
    europe = Region.objects.get(name="Europe")
    response = client.get(reverse("mechanisms:overview"), {"region": europe.pk})
    overview = response.context["overview"]
    assert overview.region == europe
    assert len(overview.rows) == State.objects.filter(region=europe).count()
    # RCPs first, then interregional forums, each by acronym.
    assert [m.acronym for m in overview.mechanisms][:6] == [
        "CMC",
        "Colombo Process",
        "EaP Panel",
        "MIDWA",
        "5+5 Dialogue",
        "ACP-EU MD",
    ]
    hungary = next(row for row in overview.rows if row.state.iso3 == "HUN")
    assert hungary.count == Membership.objects.current().filter(state__iso3="HUN").count()


# --- permissions ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_fixture", "edit", "memberships", "history"),
    [
        (None, 302, 302, 302),
        ("indonesia_focal_point", 403, 403, 403),
        ("midwa_secretariat", 403, 403, 403),
        ("bali_secretariat", 200, 403, 200),
        ("iom_user", 200, 200, 200),
        ("admin_user", 200, 200, 200),
    ],
)
def test_maintenance_pages_permission_by_role(client, request, bali, user_fixture, edit, memberships, history):
    if user_fixture:
        client.force_login(request.getfixturevalue(user_fixture))
    codes = [
        client.get(reverse(name, args=[bali.slug])).status_code
        for name in ("mechanisms:mechanism_edit", "mechanisms:mechanism_memberships", "mechanisms:mechanism_history")
    ]
    assert codes == [edit, memberships, history]


def test_anonymous_is_sent_to_login_from_edit(client, bali):
    response = client.get(reverse("mechanisms:mechanism_edit", args=[bali.slug]))
    assert response["Location"] == "/accounts/login/?next=/directory/mechanisms/bali-process/edit/"


def test_secretariat_cannot_post_to_another_mechanism(client, midwa_secretariat, bali):
    client.force_login(midwa_secretariat)
    response = client.post(reverse("mechanisms:mechanism_edit", args=[bali.slug]), {"description": "Hijacked"})
    assert response.status_code == 403
    assert Mechanism.objects.get(pk=bali.pk).description == ""


def test_secretariat_sees_edit_and_history_links_but_not_memberships(client, bali_secretariat, bali):
    client.force_login(bali_secretariat)
    body = client.get(bali.get_absolute_url()).content.decode()
    assert (
        reverse("mechanisms:mechanism_edit", args=[bali.slug]) in body,
        reverse("mechanisms:mechanism_memberships", args=[bali.slug]) in body,
        reverse("mechanisms:mechanism_history", args=[bali.slug]) in body,
    ) == (True, False, True)


# --- editing --------------------------------------------------------------------------------------------------


def profile_data(**changes):
    data = {
        "description": "",
        "secretariat": "RSO Bangkok",
        "website": "https://www.baliprocess.net",
        "contact_points": "",
        "gcm_review_mandate": "unknown",
        "gcm_mandate_since": "",
        "gcm_focal_point": "",
        "gcm_working_group": "",
        "chair": "",
        "chair_since": "",
    }
    data.update(changes)
    return data


def test_secretariat_edit_saves_profile_chair_and_history(client, bali_secretariat, bali):
    client.force_login(bali_secretariat)
    indonesia = State.objects.get(iso3="IDN")
    response = client.post(
        reverse("mechanisms:mechanism_edit", args=[bali.slug]),
        profile_data(
            description="Regional forum on smuggling and trafficking.",
            gcm_review_mandate="true",
            gcm_mandate_since="2021-03-01",
            gcm_focal_point="RSO Policy Officer",
            chair=str(indonesia.pk),
            chair_since="2025-01-01",
            themes=[str(t.pk) for t in bali.themes.all()],
            acronym="HACKED",
        ),
    )
    assert response.status_code == 302
    bali.refresh_from_db()
    assert (bali.acronym, bali.gcm_review_mandate, bali.gcm_mandate_since, bali.secretariat) == (
        "Bali Process",
        True,
        datetime.date(2021, 3, 1),
        "RSO Bangkok",
    )
    assert [(t.state.iso3, t.start_date, t.end_date) for t in bali.chair_terms.all()] == [
        ("IDN", datetime.date(2025, 1, 1), None)
    ]
    history = client.get(reverse("mechanisms:mechanism_history", args=[bali.slug]))
    entries = history.context["entries"]
    profile_entry = next(e for e in entries if e.subject == "profile" and e.who == bali_secretariat)
    assert ("GCM focal point", "—", "RSO Policy Officer") in profile_entry.changes
    assert ("Secretariat", bali.history.order_by("history_date").first().secretariat, "RSO Bangkok") in (
        profile_entry.changes
    )
    chair_entry = next(e for e in entries if e.subject == "Chair: Indonesia")
    assert (chair_entry.who, chair_entry.action) == (bali_secretariat, "created")


def test_edit_form_with_errors_keeps_input_and_explains(client, bali_secretariat, bali):
    client.force_login(bali_secretariat)
    response = client.post(
        reverse("mechanisms:mechanism_edit", args=[bali.slug]),
        profile_data(
            description="Kept text",
            website="not a url",
            chair=str(State.objects.get(iso3="AUS").pk),
            gcm_mandate_since="2020-01-01",
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "website": ["Enter a valid URL."],
        "chair_since": ["Give the date from which the new chair holds office."],
        "gcm_mandate_since": ["A mandate date only makes sense when the mandate is 'Yes'."],
    }
    body = response.content.decode()
    assert "Kept text</textarea>" in body
    assert 'value="not a url"' in body
    assert Mechanism.objects.get(pk=bali.pk).description == ""


def test_iom_edit_can_change_core_facts(client, iom_user, bali):
    client.force_login(iom_user)
    data = profile_data(
        acronym="Bali Process",
        name="Bali Process (new name)",
        kind="IRF",
        status="active",
        founded="2002",
        associated_organisation="",
        regions=[str(r.pk) for r in bali.regions.all()],
        themes=[str(t.pk) for t in bali.themes.all()],
    )
    response = client.post(reverse("mechanisms:mechanism_edit", args=[bali.slug]), data)
    assert response.status_code == 302
    assert Mechanism.objects.get(pk=bali.pk).name == "Bali Process (new name)"


def test_iom_adds_members_all_or_nothing(client, iom_user, midwa):
    client.force_login(iom_user)
    url = reverse("mechanisms:mechanism_memberships", args=[midwa.slug])
    before = Membership.objects.count()
    response = client.post(url, {"action": "add", "add-states": "MRT, XXK QQQ", "add-role": "observer"})
    assert response.status_code == 400
    assert response.context["add_form"].errors == {"states": ["Unknown ISO codes: XXK, QQQ. Nothing was added."]}
    assert 'value="MRT, XXK QQQ"' in response.content.decode()
    assert Membership.objects.count() == before

    response = client.post(
        url, {"action": "add", "add-states": "mrt mar", "add-role": "observer", "add-start_date": "2026-03-01"}
    )
    assert response.status_code == 302
    assert sorted(midwa.memberships.current().filter(role="observer").values_list("state__iso3", flat=True)) == [
        "CHE",
        "FRA",
        "MAR",
        "MRT",
    ]


def test_iom_adding_an_existing_member_says_so(client, iom_user, midwa):
    client.force_login(iom_user)
    response = client.post(
        reverse("mechanisms:mechanism_memberships", args=[midwa.slug]),
        {"action": "add", "add-states": "GHA", "add-role": "member"},
    )
    assert response.context["add_form"].non_field_errors() == ["Ghana is already a Member."]


def test_iom_records_a_departure_and_bad_date_is_explained(client, iom_user, midwa):
    client.force_login(iom_user)
    url = reverse("mechanisms:mechanism_memberships", args=[midwa.slug])
    membership = midwa.memberships.current().get(state__iso3="MLI")
    membership.start_date = datetime.date(2001, 1, 1)
    membership.save()
    prefix = f"end-{membership.pk}"
    response = client.post(
        url, {"action": "end", "membership": membership.pk, f"{prefix}-end_date": "1999-01-01", f"{prefix}-note": "x"}
    )
    assert response.status_code == 400
    failed = next(form for m, form in response.context["rows"] if m.pk == membership.pk)
    assert failed.errors == {"end_date": ["The end date cannot be before the start date (1 January 2001)."]}

    response = client.post(
        url,
        {"action": "end", "membership": membership.pk, f"{prefix}-end_date": "2025-01-29", f"{prefix}-note": "Left"},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.end_date, membership.note) == (datetime.date(2025, 1, 29), "Left")
    history = client.get(reverse("mechanisms:mechanism_history", args=[midwa.slug])).context["entries"]
    assert (history[0].who, history[0].subject, history[0].changes) == (
        iom_user,
        "Mali",
        [("Until", "—", "2025-01-29"), ("Note", "—", "Left")],
    )


def test_secretariat_cannot_change_memberships_by_post(client, bali_secretariat, bali):
    client.force_login(bali_secretariat)
    before = Membership.objects.count()
    response = client.post(
        reverse("mechanisms:mechanism_memberships", args=[bali.slug]),
        {"action": "add", "add-states": "FRA", "add-role": "observer"},
    )
    assert (response.status_code, Membership.objects.count()) == (403, before)


# --- query counts ---------------------------------------------------------------------------------------------

# Anonymous pages: a fixed number of queries whatever the volume. Logged-in pages add the session, the user
# and the user's secretariat ids.
PAGE_QUERIES = [
    ("/directory/", 10),  # + the States on the membership map
    ("/directory/?state=IDN&kind=IRF&sort=-member_count&theme=asylum&gcm=unknown&q=process&page=1", 10),
    ("/directory/export.csv?state=IDN", 4),
    ("/directory/export.json?sort=-founded", 4),
    ("/directory/overview/", 4),
    ("/directory/mechanisms/{slug}/", 17),  # + pledges of its Members, related work in other regions
    ("/directory/mechanisms/{slug}/membership.csv", 2),
    ("/directory/mechanisms/{slug}/membership.json?history=1", 2),
    ("/directory/states/IDN/", 5),  # + the State's pledges
]
IOM_PAGE_QUERIES = [
    ("/directory/mechanisms/{slug}/", 20),
    ("/directory/mechanisms/{slug}/edit/", 12),  # reviews are no longer prefetched for the edit form
    ("/directory/mechanisms/{slug}/memberships/", 4),
    ("/directory/mechanisms/{slug}/history/", 8),
]


def assert_page_queries(client, django_assert_num_queries, slug, iom_user):
    # An upper bound: a selector skips a query outright when there is nothing to look up (e.g. no reviews).
    for url, expected in PAGE_QUERIES:
        with django_assert_num_queries(expected, exact=False):
            assert client.get(url.format(slug=slug)).status_code == 200
    client.force_login(iom_user)
    for url, expected in IOM_PAGE_QUERIES:
        with django_assert_num_queries(expected, exact=False):
            assert client.get(url.format(slug=slug)).status_code == 200


def test_query_counts_on_reference_data(client, django_assert_num_queries, bali_reviewed, iom_user):
    assert_page_queries(client, django_assert_num_queries, "bali-process", iom_user)


def test_query_counts_on_ten_times_the_reference_data(client, django_assert_num_queries, reference_data, iom_user):
    mechanisms, states, memberships = Mechanism.objects.count(), State.objects.count(), Membership.objects.count()
    new = directory_volume_create(
        mechanisms=9 * mechanisms,
        states=9 * states,
        memberships=9 * memberships,
        extra_state=State.objects.get(iso3="IDN"),
    )
    assert (Mechanism.objects.count(), State.objects.count()) == (10 * mechanisms, 10 * states)
    assert Membership.objects.count() >= 10 * memberships
    busiest = max(new, key=lambda m: m.memberships.count())
    assert busiest.memberships.count() >= 29
    assert_page_queries(client, django_assert_num_queries, busiest.slug, iom_user)
    assert client.get("/directory/?state=IDN").context["directory"].page.paginator.count == 3 + len(new)


def test_directory_active_filters_link_to_the_view_without_them(client, reference_data):
    response = client.get(reverse("mechanisms:directory"), {"kind": "RCP", "theme": "asylum", "sort": "name"})
    assert response.context["directory"].active == {
        "kind": ("Regional Consultative Process", "?theme=asylum&sort=name"),
        "theme": ("asylum", "?kind=RCP&sort=name"),
    }


# --- mechanism page without noise -----------------------------------------------------------------------------


def test_mechanism_page_shows_the_2018_vote_once_as_a_legend_and_marks_only_the_states_that_differ(client, bali):
    html = client.get(reverse("mechanisms:mechanism_detail", args=[bali.slug])).content.decode()
    current = Membership.objects.current().filter(mechanism=bali).select_related("state")
    marked = [m for m in current if m.state.gcm_vote_2018 != "in_favour_or_not_voting"]
    assert html.count('data-testid="vote-legend"') == 1
    assert html.count('data-testid="vote-mark"') == len(marked) == 6
    assert html.count("In favour or not voting") == 0
    assert html.count("no mark: in favour or not voting") == 1
    assert "2018 vote: Against" in html  # the United States, read out to screen readers


def test_mechanism_data_notes_are_for_iom_staff_only(client, bali, iom_user, bali_secretariat):
    url = reverse("mechanisms:mechanism_detail", args=[bali.slug])
    note = "Myanmar is not visible in the extracted text"
    public = client.get(url).content.decode()
    client.force_login(bali_secretariat)
    secretariat = client.get(url).content.decode()
    client.force_login(iom_user)
    iom = client.get(url).content.decode()
    assert (note in public, note in secretariat, note in iom) == (False, False, True)
    # The sources stay public.
    assert ("https://www.baliprocess.net/" in public, "Notes on the data" in public) == (True, False)


def test_mechanism_page_hides_empty_facts_instead_of_dashes(client, bali):
    html = client.get(reverse("mechanisms:mechanism_detail", args=[bali.slug])).content.decode()
    facts = html[html.index('data-testid="facts"') : html.index("</dl>", html.index('data-testid="facts"'))]
    assert "—" not in facts
    assert ("Associated regional organisation" in facts, "Secretariat" in facts) == (False, True)
    assert "GCM focal point" not in html
