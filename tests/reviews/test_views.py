import pytest
from django.urls import reverse

from reviews.enums import ReviewStatus as S
from reviews.models import ObjectiveReport, Review
from reviews.views import PENDING_POSTS_KEY
from tests.factories import ObjectiveReportFactory, ReviewCycleFactory, ReviewFactory, complete_review_create

pytestmark = pytest.mark.django_db


def overview_data(review, **changes):
    data = {
        "language": "en",
        "method": review.method,
        "mandate": "",
        "partnerships": "",
        "key_messages": review.key_messages,
        "revision": str(review.revision),
        "meetings-TOTAL_FORMS": "2",
        "meetings-INITIAL_FORMS": "0",
        "meetings-MIN_NUM_FORMS": "0",
        "meetings-MAX_NUM_FORMS": "30",
        "meetings-0-title": "",
        "meetings-0-held_on": "",
        "meetings-0-place": "",
        "meetings-1-title": "",
        "meetings-1-held_on": "",
        "meetings-1-place": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def review(bali):
    return ReviewFactory(mechanism=bali)


def test_overview_save_by_secretariat_writes_and_redirects(client, review, bali_secretariat):
    client.force_login(bali_secretariat)
    url = reverse("reviews:review_edit_overview", kwargs={"pk": review.pk})
    data = overview_data(
        review,
        method="New method text.",
        **{"meetings-0-title": "Senior officials meeting", "meetings-0-held_on": "2024-03-12"},
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == url
    review.refresh_from_db()
    assert (review.method, review.revision) == ("New method text.", 2)
    assert list(review.meetings.values_list("title", flat=True)) == ["Senior officials meeting"]
    assert review.versions.count() == 1


def test_overview_autosave_returns_status_with_new_revision(client, review, bali_secretariat):
    client.force_login(bali_secretariat)
    url = reverse("reviews:review_edit_overview", kwargs={"pk": review.pk})
    response = client.post(url, overview_data(review, method="Typed."), headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="revision" value="2" id="id_revision" hx-swap-oob="true"' in body
    assert "Draft saved automatically" in body
    review.refresh_from_db()
    assert review.method == "Typed."


def test_overview_invalid_meeting_keeps_text_and_says_what_is_wrong(client, review, bali_secretariat):
    client.force_login(bali_secretariat)
    url = reverse("reviews:review_edit_overview", kwargs={"pk": review.pk})
    response = client.post(url, overview_data(review, method="Text to keep.", **{"meetings-0-title": "Workshop"}))
    assert response.status_code == 200
    assert response.context["meetings"].forms[0].errors == {"held_on": ["Give the date of this meeting."]}
    assert "Text to keep." in response.content.decode()
    review.refresh_from_db()
    assert review.method == "Two regional consultations and a written survey of Member States."


def test_overview_concurrent_save_is_refused_and_text_kept(client, review, bali_secretariat):
    client.force_login(bali_secretariat)
    url = reverse("reviews:review_edit_overview", kwargs={"pk": review.pk})
    first = overview_data(review, method="Colleague's version.")
    second = overview_data(review, method="My version.")
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else saved this part while you were editing it." in body
    assert "My version." in body
    assert "Colleague&#x27;s version." in body or "Colleague's version." in body
    review.refresh_from_db()
    assert review.method == "Colleague's version."
    assert response.context["form"]["revision"].value() == "2"
    assert "hx-post" not in body  # no autosave over the colleague's text until the merge is saved


def test_objective_save_creates_report(client, review, bali_secretariat, reference_data):
    client.force_login(bali_secretariat)
    url = reverse("reviews:review_edit_objective", kwargs={"pk": review.pk, "number": 7})
    response = client.post(url, {"progress": "Shelters opened.", "revision": "0", "then": "next"})
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:review_edit_objective", kwargs={"pk": review.pk, "number": 8})
    report = ObjectiveReport.objects.get(review=review, objective__number=7)
    assert (report.progress, report.revision, report.updated_by) == ("Shelters opened.", 1, bali_secretariat)


def test_objective_concurrent_create_is_refused(client, review, bali_secretariat):
    client.force_login(bali_secretariat)
    url = reverse("reviews:review_edit_objective", kwargs={"pk": review.pk, "number": 7})
    assert client.post(url, {"progress": "First.", "revision": "0"}).status_code == 302
    response = client.post(url, {"progress": "Second.", "revision": "0"})
    assert response.status_code == 409
    assert ObjectiveReport.objects.get(review=review, objective__number=7).progress == "First."


def test_objective_number_out_of_range_is_404(client, review, bali_secretariat):
    client.force_login(bali_secretariat)
    assert (
        client.get(reverse("reviews:review_edit_objective", kwargs={"pk": review.pk, "number": 24})).status_code == 404
    )


def test_check_page_lists_problems_linked_to_fields(client, bali, bali_secretariat):
    review = ReviewFactory(mechanism=bali, key_messages="")
    client.force_login(bali_secretariat)
    response = client.post(reverse("reviews:review_check", kwargs={"pk": review.pk}))
    assert response.status_code == 400
    body = response.content.decode()
    overview = reverse("reviews:review_edit_overview", kwargs={"pk": review.pk})
    assert f'href="{overview}#id_key_messages" class="alert-link">Write the key messages to the IMRF.</a>' in body
    review.refresh_from_db()
    assert review.status == S.DRAFT


def test_submit_complete_review_freezes_it(client, bali, bali_secretariat):
    review = complete_review_create(mechanism=bali)
    client.force_login(bali_secretariat)
    check = reverse("reviews:review_check", kwargs={"pk": review.pk})
    # Submitting asks once, saying what will happen, and changes nothing until the go-ahead.
    asked = client.post(check)
    review.refresh_from_db()
    assert (asked.status_code, asked.templates[0].name, review.status) == (
        200,
        "reviews/workflow/confirm.html",
        S.DRAFT,
    )
    response = client.post(check, {"confirmed": "yes"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == S.SUBMITTED
    url = reverse("reviews:review_edit_overview", kwargs={"pk": review.pk})
    response = client.post(url, overview_data(review, method="Sneaky change."))
    assert response.status_code == 302
    assert response["Location"] == review.get_absolute_url()
    review.refresh_from_db()
    assert review.method == "Two regional consultations and a written survey of Member States."


def test_start_review_creates_draft_once(client, bali, bali_secretariat):
    cycle = ReviewCycleFactory(review_year=2024)
    client.force_login(bali_secretariat)
    url = reverse("reviews:review_start", kwargs={"cycle": cycle.slug, "mechanism": bali.slug})
    first = client.post(url)
    second = client.post(url)
    review = Review.objects.get(mechanism=bali, cycle=cycle)
    expected = reverse("reviews:review_edit_overview", kwargs={"pk": review.pk})
    assert (first["Location"], second["Location"]) == (expected, expected)
    assert Review.objects.filter(mechanism=bali).count() == 1


def test_my_reviews_lists_cycles_and_start_buttons(client, bali, bali_secretariat):
    ReviewCycleFactory(review_year=2024)
    client.force_login(bali_secretariat)
    response = client.get(reverse("reviews:my_reviews"))
    assert response.status_code == 200
    [(mechanism, rows)] = response.context["dashboard"]
    assert (mechanism, [row.review for row in rows]) == (bali, [None])
    assert "Start review" in response.content.decode()


def test_expired_session_save_keeps_text_for_after_login(client, review, bali_secretariat):
    url = reverse("reviews:review_edit_overview", kwargs={"pk": review.pk})
    response = client.post(url, overview_data(review, method="Typed before expiry."))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    login = client.post("/accounts/login/", {"username": "bali-sec", "password": "pass-for-tests", "next": url})
    assert login["Location"] == url
    page = client.get(url)
    assert page.context["form"]["method"].value() == "Typed before expiry."
    assert client.session[PENDING_POSTS_KEY] == {}
    review.refresh_from_db()
    assert review.method == "Two regional consultations and a written survey of Member States."


def test_expired_session_autosave_says_so(client, review):
    url = reverse("reviews:review_edit_overview", kwargs={"pk": review.pk})
    response = client.post(url, overview_data(review, method="x"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "your session has expired" in response.content.decode()


def test_detail_shows_sanitised_text(client, bali, bali_secretariat):
    review = ReviewFactory(mechanism=bali, key_messages="Hello <script>alert(1)</script> [x](javascript:alert(2))")
    ObjectiveReportFactory(review=review, progress="- one\n- **two**")
    client.force_login(bali_secretariat)
    body = client.get(review.get_absolute_url()).content.decode()
    assert "<script>alert" not in body
    # Both are shown as the text that was typed, never as markup or a link.
    assert "<p>Hello &lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(2))</p>" in body
    assert 'href="javascript:' not in body
    assert "<ul><li>one</li><li><strong>two</strong></li></ul>" in body


def test_start_from_last_cycle_button_copies_previous_approved_review(client, bali, bali_secretariat, iom_user):
    from reviews.workflow import review_transition

    old = complete_review_create(mechanism=bali, cycle=ReviewCycleFactory(review_year=2020))
    review_transition(review=old, action="submit", by=bali_secretariat)
    review_transition(review=old, action="approve", by=iom_user)
    cycle = ReviewCycleFactory(review_year=2024)
    client.force_login(bali_secretariat)
    page = client.get(reverse("reviews:my_reviews"))
    assert [
        (row.cycle.review_year, row.can_start, row.can_start_from_previous) for row in page.context["dashboard"][0][1]
    ] == [
        (2024, True, True),
        (2020, False, False),
    ]
    response = client.post(
        reverse("reviews:review_start", kwargs={"cycle": cycle.slug, "mechanism": bali.slug}), {"from_previous": "1"}
    )
    new = Review.objects.get(mechanism=bali, cycle=cycle)
    assert response["Location"] == reverse("reviews:review_edit_overview", kwargs={"pk": new.pk})
    assert (new.started_from, new.method, new.objective_reports.get().progress) == (
        old,
        old.method,
        "Member States adopted a regional framework on fair recruitment.",
    )


def test_expired_session_keeps_only_latest_pages(client, bali):
    reviews = [ReviewFactory(mechanism=bali, cycle=ReviewCycleFactory(review_year=2000 + n)) for n in range(5)]
    for review in reviews:
        client.post(reverse("reviews:review_edit_overview", kwargs={"pk": review.pk}), {"method": "x"})
    assert list(client.session[PENDING_POSTS_KEY]) == [
        reverse("reviews:review_edit_overview", kwargs={"pk": review.pk}) for review in reviews[-3:]
    ]


def test_objective_autosave_conflict_says_so_and_saves_nothing(client, review, bali_secretariat):
    client.force_login(bali_secretariat)
    url = reverse("reviews:review_edit_objective", kwargs={"pk": review.pk, "number": 7})
    client.post(url, {"progress": "First.", "revision": "0"})
    response = client.post(url, {"progress": "Stale.", "revision": "0"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "someone else saved this part meanwhile" in response.content.decode()
    assert ObjectiveReport.objects.get(review=review).progress == "First."
