"""Pages and downloads of packages: who may see them, what they show, how many queries they take."""

import uuid

import pytest
from django.urls import reverse

from mechanisms.models import Mechanism
from packages.enums import VersionStatus
from packages.models import Package, PackageVersion
from tests.factories import ApprovedReviewContentFactory, PackageFactory

from .helpers import compile_now


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/packages/", "/packages/new/"])
def test_package_pages_send_anonymous_users_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={url}"


@pytest.mark.django_db
def test_package_pages_are_forbidden_to_secretariats(client, bali_secretariat, package):
    client.force_login(bali_secretariat)
    assert client.get("/packages/").status_code == 403
    assert client.get(f"/packages/{package.pk}/").status_code == 403
    assert client.post(f"/packages/{package.pk}/compile/", {"request_token": str(uuid.uuid4())}).status_code == 403
    assert PackageVersion.objects.count() == 0


@pytest.mark.django_db
def test_package_create_saves_selection(client, iom_user, cycle, bali, midwa):
    client.force_login(iom_user)
    response = client.post(
        "/packages/new/",
        {"cycle": cycle.pk, "title": "Asia-Pacific input", "foreword": "", "mechanisms": [bali.pk, midwa.pk]},
    )
    package = Package.objects.get()
    assert response.status_code == 302
    assert response.url == f"/packages/{package.pk}/"
    assert (package.title, package.created_by, sorted(m.slug for m in package.mechanisms.all())) == (
        "Asia-Pacific input",
        iom_user,
        ["bali-process", "midwa"],
    )


@pytest.mark.django_db
def test_package_create_without_title_says_what_is_wrong(client, iom_user, cycle):
    client.force_login(iom_user)
    response = client.post("/packages/new/", {"cycle": cycle.pk, "title": "", "foreword": "Kept text"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"title": ["This field is required."]}
    assert "Kept text" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_compile_post_twice_with_one_token_makes_one_version(client, iom_user, package):
    client.force_login(iom_user)
    token = str(uuid.uuid4())
    first = client.post(f"/packages/{package.pk}/compile/", {"request_token": token})
    second = client.post(f"/packages/{package.pk}/compile/", {"request_token": token})
    assert (first.status_code, second.status_code) == (302, 302)
    assert list(PackageVersion.objects.values_list("number", "status")) == [(1, VersionStatus.DONE)]


@pytest.mark.django_db(transaction=True)
def test_progress_endpoint_reports_state_as_json_and_fragment(
    client, iom_user, package, django_capture_on_commit_callbacks
):
    version = compile_now(package, iom_user, django_capture_on_commit_callbacks)
    client.force_login(iom_user)
    data = client.get(f"/packages/{package.pk}/versions/1/progress/?format=json").json()
    assert data == {
        "number": 1,
        "status": "done",
        "progress": 100,
        "step": "",
        "parts_done": 29,
        "parts_total": 29,
        "error": "",
        "pages": version.pdf_pages,
        "requested_at": version.requested_at.isoformat(),
        "recoveries": 0,
    }
    fragment = client.get(f"/packages/{package.pk}/versions/1/progress/", HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert html.lstrip().startswith('<section class="card mb-4" id="version-progress"')
    assert "hx-get" not in html  # finished: polling stops
    assert 'data-download="pdf"' in html
    assert '<section id="versions" aria-labelledby="versions-title" hx-swap-oob="true">' in html


COMPILE_BLOCKED = (
    '<p class="small text-body-secondary text-lg-end mb-0" id="compile-blocked" style="max-width: 22rem">'
    "Version 1 is being compiled; you can compile a new version once it has finished.</p>"
)


@pytest.mark.django_db
def test_compile_button_is_disabled_while_a_version_compiles(client, iom_user, package):
    PackageVersion.objects.create(
        package=package, number=1, request_token=uuid.uuid4(), requested_by=iom_user, status=VersionStatus.COMPILING
    )
    client.force_login(iom_user)
    html = client.get(f"/packages/{package.pk}/").content.decode()
    disabled = 'data-action="compile" disabled aria-describedby="compile-blocked">'
    assert f'<button type="submit" class="btn btn-primary" {disabled}' in html
    assert COMPILE_BLOCKED in html


@pytest.mark.django_db
def test_compile_post_while_a_version_compiles_says_why_and_adds_nothing(client, iom_user, package):
    PackageVersion.objects.create(
        package=package, number=1, request_token=uuid.uuid4(), requested_by=iom_user, status=VersionStatus.QUEUED
    )
    client.force_login(iom_user)
    response = client.post(f"/packages/{package.pk}/compile/", {"request_token": str(uuid.uuid4())}, follow=True)
    assert [str(message) for message in response.context["messages"]] == [
        "Version 1 is still being compiled; compile a new version once it has finished."
    ]
    assert list(PackageVersion.objects.values_list("number", flat=True)) == [1]


@pytest.mark.django_db
def test_progress_fragment_of_a_finished_version_enables_the_compile_button(client, iom_user, package):
    PackageVersion.objects.create(
        package=package, number=1, request_token=uuid.uuid4(), requested_by=iom_user, status=VersionStatus.FAILED
    )
    client.force_login(iom_user)
    html = client.get(f"/packages/{package.pk}/versions/1/progress/", HTTP_HX_REQUEST="true").content.decode()
    form = (
        f'<form method="post" action="/packages/{package.pk}/compile/" id="compile-form" '
        'class="d-flex flex-column align-items-lg-end gap-1" hx-swap-oob="true">'
    )
    assert form in html
    assert '<button type="submit" class="btn btn-primary" data-action="compile">' in html
    assert 'id="compile-blocked"' not in html


@pytest.mark.django_db
def test_progress_fragment_polls_while_queued(client, iom_user, package):
    PackageVersion.objects.create(package=package, number=1, request_token=uuid.uuid4(), requested_by=iom_user)
    client.force_login(iom_user)
    html = client.get(f"/packages/{package.pk}/versions/1/progress/").content.decode()
    assert f'hx-get="/packages/{package.pk}/versions/1/progress/"' in html
    assert 'hx-trigger="every 1s"' in html


@pytest.mark.django_db(transaction=True)
def test_downloads_serve_the_files_to_iom_only(
    client, iom_user, bali_secretariat, package, django_capture_on_commit_callbacks
):
    version = compile_now(package, iom_user, django_capture_on_commit_callbacks)
    client.force_login(bali_secretariat)
    assert client.get(f"/packages/{package.pk}/versions/1/pdf/").status_code == 403
    client.force_login(iom_user)
    pdf = client.get(f"/packages/{package.pk}/versions/1/pdf/")
    archive = client.get(f"/packages/{package.pk}/versions/1/zip/")
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert (archive.status_code, archive["Content-Type"]) == (200, "application/zip")
    assert pdf["Content-Disposition"] == 'attachment; filename="regional-reviews-2024-input-to-the-imrf-2026-v1.pdf"'
    assert int(archive["Content-Length"]) == version.zip_size
    assert client.get(f"/packages/{package.pk}/versions/2/pdf/").status_code == 404


@pytest.mark.django_db
def test_review_pdf_for_secretariat_of_the_mechanism_and_iom(
    client, iom_user, bali_secretariat, midwa_secretariat, approved_reviews
):
    bali_review = approved_reviews[0]
    url = f"/packages/reviews/{bali_review.pk}/pdf/"
    client.force_login(midwa_secretariat)
    assert client.get(url).status_code == 403
    for user in (bali_secretariat, iom_user):
        client.force_login(user)
        response = client.get(url)
        assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
        assert response.content.startswith(b"%PDF-")
        assert response["Content-Disposition"] == 'attachment; filename="bali-process-2024-regional-reviews-review.pdf"'
    client.logout()
    assert client.get(url).status_code == 302


def _versions(package, count, user):
    PackageVersion.objects.bulk_create(
        PackageVersion(
            package=package,
            number=number,
            request_token=uuid.uuid4(),
            requested_by=user,
            status=VersionStatus.DONE,
            review_versions=[{"review_id": 1, "mechanism": "BP", "revision": 1, "content_hash": "x"}],
        )
        for number in range(1, count + 1)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 12])
def test_package_list_query_count(client, iom_user, cycle, django_assert_num_queries, size):
    for index in range(size):
        package = PackageFactory(cycle=cycle, title=f"Package {index}", created_by=iom_user)
        _versions(package, 3, iom_user)
    client.force_login(iom_user)
    # session, user, packages, regions, mechanisms, versions
    with django_assert_num_queries(6):
        response = client.get("/packages/")
    assert len(response.context["packages"]) == size


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 8])
def test_package_detail_query_count(client, iom_user, cycle, reference_data, django_assert_num_queries, size):
    mechanisms = Mechanism.objects.order_by("acronym")[:size]
    for index, mechanism in enumerate(mechanisms):
        ApprovedReviewContentFactory(mechanism=mechanism, cycle=cycle, objectives=(1,), words=10, seed=index)
    package = PackageFactory(cycle=cycle, created_by=iom_user)
    _versions(package, size, iom_user)
    client.force_login(iom_user)
    # session, user, package, regions, mechanisms, versions, reviews, synthesis parts written, open comments
    with django_assert_num_queries(9):
        response = client.get(f"/packages/{package.pk}/")
    assert (len(response.context["versions"]), len(response.context["reviews"])) == (size, size)


@pytest.mark.django_db
def test_review_page_links_its_pdf_for_the_secretariat_only(client, bali_secretariat, midwa_secretariat, iom_user):
    from reviews.enums import ReviewStatus
    from tests.factories import review_in_status

    review = review_in_status(
        ReviewStatus.APPROVED,
        mechanism=bali_secretariat.secretariat_mechanisms.get(),
        secretariat=bali_secretariat,
        iom=iom_user,
    )
    pdf_url = reverse("packages:review_pdf", kwargs={"review_id": review.pk})
    client.force_login(bali_secretariat)
    assert f'href="{pdf_url}"' in client.get(review.get_absolute_url()).text
    client.force_login(midwa_secretariat)  # reads the approved review, but is not its secretariat
    assert f'href="{pdf_url}"' not in client.get(review.get_absolute_url()).text
