"""Cycles and reviews in the API: fields, filters, links the caller may follow, versions, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews.enums import ReviewStatus as S
from reviews.models import ReviewVersion
from tests.factories import ReviewCycleFactory, review_in_status

pytestmark = pytest.mark.django_db


def _ids(client, query=""):
    response = client.get(f"/api/v1/reviews/?{query}")
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_cycle_list_newest_first(client, bali_reviews):
    rows = client.get("/api/v1/cycles/").json()["results"]
    cycle = bali_reviews[S.APPROVED].cycle
    assert [row["review_year"] for row in rows] == [2024, 2022, 2020]
    assert rows[-1] == {
        "slug": cycle.slug,
        "name": cycle.name,
        "review_year": 2020,
        "imrf_year": cycle.imrf_year,
        "opens_on": cycle.opens_on.isoformat(),
        "due_on": cycle.due_on.isoformat(),
        "api_url": f"http://testserver/api/v1/cycles/{cycle.slug}/",
    }


def test_approved_review_fields(client, bali_reviews):
    review = bali_reviews[S.APPROVED]
    version = ReviewVersion.objects.filter(review=review).order_by("-number").first().number
    body = client.get(f"/api/v1/reviews/{review.pk}/").json()
    report = review.objective_reports.get()
    assert {key: body[key] for key in ("id", "status", "language", "version", "pdf_url", "mechanism", "cycle")} == {
        "id": review.pk,
        "status": "approved",
        "language": "en",
        "version": version,
        "pdf_url": None,
        "mechanism": {
            "slug": "bali-process",
            "acronym": "Bali Process",
            "api_url": "http://testserver/api/v1/mechanisms/bali-process/",
        },
        "cycle": {
            "slug": review.cycle.slug,
            "name": review.cycle.name,
            "review_year": 2020,
            "api_url": f"http://testserver/api/v1/cycles/{review.cycle.slug}/",
        },
    }
    assert body["objectives"] == [
        {
            "number": report.objective.number,
            "title": report.objective.title,
            "is_regional_priority": report.is_regional_priority,
            "progress": "Progress of the approved review.",
            "good_practices": "- **Secret approved practice.** Member States adopted a approved code on recruitment.",
            "challenges": report.challenges,
            "recommendations": report.recommendations,
            "data_evidence": report.data_evidence,
            "data_sources": report.data_sources,
            "guiding_principles": sorted(report.guiding_principles.values_list("slug", flat=True)),
            "revision": report.revision,
            "updated_at": body["objectives"][0]["updated_at"],
            "api_url": f"http://testserver/api/v1/reviews/{review.pk}/objectives/{report.objective.number}/",
        }
    ]
    assert sorted(s["iso3"] for s in body["participating_states"]) == ["AUS", "IDN"]
    assert (body["url"], body["api_url"]) == (
        f"http://testserver/reviews/{review.pk}/",
        f"http://testserver/api/v1/reviews/{review.pk}/",
    )
    objective = client.get(body["objectives"][0]["api_url"]).json()
    assert objective == body["objectives"][0]


@pytest.mark.parametrize(
    ("role", "has_pdf"),
    [
        ("anonymous", False),
        ("indonesia_focal_point", False),
        ("midwa_secretariat", False),
        ("bali_secretariat", True),
        ("iom_user", True),
        ("admin_user", True),
    ],
)
def test_pdf_link_only_for_those_who_may_download_it(client, bali_reviews, request, role, has_pdf):
    review = bali_reviews[S.APPROVED]
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    body = client.get(f"/api/v1/reviews/{review.pk}/").json()
    expected = f"http://testserver/packages/reviews/{review.pk}/pdf/" if has_pdf else None
    assert body["pdf_url"] == expected
    if has_pdf:
        assert client.get(body["pdf_url"]).status_code == 200


def test_review_filters(client, bali_reviews, midwa, midwa_secretariat, iom_user, bali_secretariat):
    midwa_review = review_in_status(
        S.APPROVED,
        mechanism=midwa,
        cycle=bali_reviews[S.APPROVED].cycle,
        secretariat=midwa_secretariat,
        iom=iom_user,
        language="fr",
    )
    approved = bali_reviews[S.APPROVED]
    client.force_login(bali_secretariat)
    everything = [bali_reviews[S.DRAFT].pk, bali_reviews[S.SUBMITTED].pk, approved.pk, midwa_review.pk]
    assert _ids(client) == everything
    assert _ids(client, "language=fr") == [midwa_review.pk]
    assert _ids(client, "mechanism=midwa") == [midwa_review.pk]
    assert _ids(client, f"cycle={approved.cycle.slug}") == [approved.pk, midwa_review.pk]
    assert _ids(client, "status=draft") == [bali_reviews[S.DRAFT].pk]
    assert _ids(client, "objective=6") == everything
    assert _ids(client, "objective=7") == []
    assert _ids(client, "kind=RCP") == [midwa_review.pk]
    africa = midwa.regions.first().parent.parent
    assert _ids(client, f"region={africa.pk}") == [midwa_review.pk]


@pytest.mark.parametrize(
    "query",
    ["status=secret", "language=xx", "objective=0", "objective=24", "region=-1", "kind=rcp", "cycle=" + "c" * 201],
)
def test_invalid_review_filters_are_refused(client, reference_data, query):
    response = client.get(f"/api/v1/reviews/?{query}")
    assert (response.status_code, list(response.json()["errors"])) == (400, [query.split("=")[0]])


def test_version_is_the_latest_saved_version(client, bali_reviews, bali_secretariat, iom_user):
    review = bali_reviews[S.APPROVED]
    review_reopened = review_in_status(
        S.REOPENED,
        mechanism=review.mechanism,
        cycle=ReviewCycleFactory(review_year=2018),
        secretariat=bali_secretariat,
        iom=iom_user,
    )
    client.force_login(iom_user)
    rows = {row["id"]: row["version"] for row in client.get("/api/v1/reviews/").json()["results"]}
    latest = {
        pk: ReviewVersion.objects.filter(review_id=pk).order_by("-number").first().number
        for pk in (review.pk, review_reopened.pk)
    }
    assert {pk: rows[pk] for pk in latest} == latest


def test_attachment_links_are_downloadable_by_the_caller(client, bali_reviews):
    from django.core.files.base import ContentFile

    from reviews.models import Attachment

    review = bali_reviews[S.APPROVED]
    attachment = Attachment(
        review=review,
        original_name="figures.csv",
        description="Figures",
        content_type="text/csv",
        size=4,
        sha256="0" * 64,
    )
    attachment.file.save("figures.csv", ContentFile(b"a,b\n"), save=True)
    body = client.get(f"/api/v1/reviews/{review.pk}/").json()
    url = f"http://testserver/reviews/{review.pk}/attachments/{attachment.pk}/"
    assert body["attachments"] == [
        {
            "id": attachment.pk,
            "name": "figures.csv",
            "description": "Figures",
            "content_type": "text/csv",
            "size": 4,
            "sha256": "0" * 64,
            "url": url,
        }
    ]
    assert b"".join(client.get(url).streaming_content) == b"a,b\n"


# --- query counts ---------------------------------------------------------------------------------------------


def _more_reviews(factor, mechanisms, secretariat_for, iom):
    for index in range(factor):
        cycle = ReviewCycleFactory(review_year=2000 + index)
        for mechanism in mechanisms:
            review_in_status(
                S.APPROVED, mechanism=mechanism, cycle=cycle, secretariat=secretariat_for[mechanism], iom=iom
            )


URLS = [
    "/api/v1/cycles/",
    "/api/v1/reviews/",
    "/api/v1/reviews/?status=approved&objective=6&region=2&kind=IRF&language=en",
    "/api/v1/reviews/{pk}/",
    "/api/v1/reviews/{pk}/objectives/6/",
]
# Anonymous: count and page (reviews with mechanism, cycle and version); a review with its participating
# States, meetings, reports, their principles and attachments; a review's report with its principles. Signed
# in: the session, the user and the user's secretariat ids (the reading rule).
ANONYMOUS_QUERIES = [2, 2, 2, 6, 3]
SECRETARIAT_QUERIES = [4, 5, 5, 9, 6]


def _counts(client, pk) -> list[int]:
    counts = []
    for url in URLS:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url.format(pk=pk)).status_code == 200
        counts.append(len(queries))
    return counts


@pytest.mark.parametrize("factor", [1, 10])
def test_query_counts(client, bali_reviews, midwa, bali, midwa_secretariat, bali_secretariat, iom_user, factor):
    _more_reviews(factor, [bali, midwa], {bali: bali_secretariat, midwa: midwa_secretariat}, iom_user)
    pk = bali_reviews[S.APPROVED].pk
    anonymous = _counts(client, pk)
    client.force_login(bali_secretariat)
    assert (anonymous, _counts(client, pk)) == (ANONYMOUS_QUERIES, SECRETARIAT_QUERIES)
