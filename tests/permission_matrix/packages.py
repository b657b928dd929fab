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
    version.docx.save("packages/matrix/report.docx", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=False)
    version.save()
    people = {"secretariat": world.users["own_secretariat"], "iom": iom}
    world.pdf_draft = review_in_status(
        S.DRAFT, mechanism=world.bali, cycle=ReviewCycleFactory(review_year=2008), **people
    )
    world.pdf_approved = review_in_status(
        S.APPROVED, mechanism=world.bali, cycle=ReviewCycleFactory(review_year=2004), **people
    )
    # IOM's synthesis: an executive summary (version 1) and a comment thread on it.
    from packages import synthesis

    synthesis.synthesis_text_save(package=world.package, objective=None, text="Summary.", loaded_revision=0, by=iom)
    world.synthesis_comment = synthesis.synthesis_comment_add(
        package=world.package, part="summary", body="Shorter?", by=iom
    )


def _package(**extra):
    return lambda w: {"pk": w.package.pk, **extra}


IOM_ONLY = expect(403, anonymous=LOGIN, iom=200, admin=200)
IOM_ACTION = expect(403, anonymous=LOGIN, iom=REDIRECT, admin=REDIRECT)
IOM_INVALID = expect(403, anonymous=LOGIN, iom=400, admin=400)

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
    Case("packages:version_docx", IOM_ONLY, _package(number=1)),
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
    # IOM's synthesis: IOM staff and administrators write, comment and mark it final; nobody else sees it.
    Case("packages:synthesis", IOM_ONLY, _package()),
    # A save without the form's revision is refused: the editor comes back with the error, nothing is written.
    Case("packages:synthesis", IOM_INVALID, _package(), method="POST"),
    Case("packages:synthesis_objective", IOM_ONLY, _package(number=6)),
    Case("packages:synthesis_objective", IOM_INVALID, _package(number=6), method="POST"),
    Case(
        "packages:synthesis_objective",
        expect(403, anonymous=LOGIN, iom=404, admin=404),
        _package(number=24),
        label="no such objective",
    ),
    Case("packages:synthesis_final", everyone(405), _package()),
    # Without `final=1` the synthesis is (still) a draft: IOM is sent back to the package.
    Case("packages:synthesis_final", IOM_ACTION, _package(), method="POST"),
    Case("packages:synthesis_history", IOM_ONLY, _package()),
    Case("packages:synthesis_version", IOM_ONLY, _package(number=1)),
    Case(
        "packages:synthesis_version", expect(403, anonymous=LOGIN, iom=404, admin=404), _package(number=99), "unknown"
    ),
    Case("packages:synthesis_comment_add", everyone(405), _package()),
    # An empty comment is refused: the editor comes back with the message.
    Case("packages:synthesis_comment_add", IOM_INVALID, _package(), method="POST"),
    Case("packages:synthesis_comment_reply", everyone(405), lambda w: {"comment_pk": w.synthesis_comment.pk}),
    Case(
        "packages:synthesis_comment_reply",
        IOM_INVALID,
        lambda w: {"comment_pk": w.synthesis_comment.pk},
        method="POST",
    ),
    Case("packages:synthesis_comment_resolve", everyone(405), lambda w: {"comment_pk": w.synthesis_comment.pk}),
    Case(
        "packages:synthesis_comment_resolve",
        IOM_ACTION,
        lambda w: {"comment_pk": w.synthesis_comment.pk},
        method="POST",
    ),
]
