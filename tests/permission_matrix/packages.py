"""IMRF input packages (packages app): IOM staff and administrators only, except the single-review PDF,
which the review's own secretariat may also download (of a review it may read)."""

from . import LOGIN, REDIRECT, Case, everyone, expect


def arrange(world):
    import uuid

    from django.core.files.base import ContentFile

    from packages.enums import VersionStatus
    from packages.models import PackageVersion
    from reviews.enums import ReviewStatus as S
    from tests.factories import PackageFactory, ReviewCycleFactory, review_in_status

    iom = world.users["iom"]
    world.package = PackageFactory(created_by=iom)
    version = PackageVersion(
        package=world.package, number=1, request_token=uuid.uuid4(), status=VersionStatus.DONE, requested_by=iom
    )
    version.pdf.save("packages/matrix/report.pdf", ContentFile(b"%PDF-1.4\n%matrix\n"), save=False)
    version.zip.save("packages/matrix/package.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=False)
    version.save()
    people = {"secretariat": world.users["own_secretariat"], "iom": iom}
    world.pdf_draft = review_in_status(
        S.DRAFT, mechanism=world.bali, cycle=ReviewCycleFactory(review_year=2008), **people
    )
    world.pdf_approved = review_in_status(
        S.APPROVED, mechanism=world.bali, cycle=ReviewCycleFactory(review_year=2004), **people
    )


def _package(**extra):
    return lambda w: {"pk": w.package.pk, **extra}


IOM_ONLY = expect(403, anonymous=LOGIN, iom=200, admin=200)
IOM_ACTION = expect(403, anonymous=LOGIN, iom=REDIRECT, admin=REDIRECT)

CASES = [
    Case("packages:list", IOM_ONLY),
    Case("packages:create", IOM_ONLY),
    Case("packages:detail", IOM_ONLY, _package()),
    Case("packages:detail", expect(403, anonymous=LOGIN, iom=404, admin=404), lambda w: {"pk": 987654}, "unknown"),
    Case("packages:compile", everyone(405), _package()),
    # Without the form's request token the compile is refused with a message (nothing is queued).
    Case("packages:compile", IOM_ACTION, _package(), method="POST"),
    Case("packages:language", everyone(405), _package()),
    # Without a language in the form IOM is sent back with a message; nothing changes.
    Case("packages:language", IOM_ACTION, _package(), method="POST"),
    Case("packages:version_progress", IOM_ONLY, _package(number=1)),
    Case("packages:version_retry", everyone(405), _package(number=1)),
    # A finished version cannot be retried: IOM is sent back with a message.
    Case("packages:version_retry", IOM_ACTION, _package(number=1), method="POST"),
    Case("packages:version_pdf", IOM_ONLY, _package(number=1)),
    Case("packages:version_zip", IOM_ONLY, _package(number=1)),
    Case(
        "packages:review_pdf",
        expect(403, anonymous=LOGIN, own_secretariat=200, iom=200, admin=200),
        lambda w: {"review_id": w.pdf_approved.pk},
        label="approved",
    ),
    # A draft is its secretariat's own: not even IOM gets its PDF.
    Case(
        "packages:review_pdf",
        expect(403, anonymous=LOGIN, own_secretariat=200, admin=200),
        lambda w: {"review_id": w.pdf_draft.pk},
        label="draft",
    ),
    Case("packages:review_pdf", everyone(404), lambda w: {"review_id": 987654}, label="unknown"),
]
