"""Regional reviews: submission (issue 4) and workflow (issue 5). The rules are in reviews/rules.py."""

from django.core.files.base import ContentFile

from reviews.enums import ReviewStatus as S
from reviews.models import Attachment, ReviewVersion, WordImport

from . import LOGIN, REDIRECT, Case, everyone, expect, logged_in


def arrange(world):
    from tests.factories import CommentFactory, ReviewCycleFactory, review_in_status

    users = world.users
    people = {"secretariat": users["own_secretariat"], "iom": users["iom"]}
    world.bali_submitted = review_in_status(S.SUBMITTED, mechanism=world.bali, **people)
    world.bali_draft = review_in_status(
        S.DRAFT, mechanism=world.bali, cycle=ReviewCycleFactory(review_year=2028), **people
    )
    world.bali_approved = review_in_status(
        S.APPROVED, mechanism=world.bali, cycle=ReviewCycleFactory(review_year=2020), **people
    )
    world.midwa_submitted = review_in_status(
        S.SUBMITTED, mechanism=world.midwa, secretariat=users["other_secretariat"], iom=users["iom"]
    )
    world.comment = CommentFactory(review=world.bali_submitted, author=users["iom"])
    world.new_cycle = ReviewCycleFactory(review_year=2032)
    world.submitted_attachment = _attachment(world.bali_submitted, users["own_secretariat"])
    world.draft_attachment = _attachment(world.bali_draft, users["own_secretariat"])
    world.pending_word = _word_import(world.bali_draft, users["own_secretariat"], applied=False)
    world.applied_word = _word_import(world.bali_submitted, users["own_secretariat"], applied=True)


def _word_import(review, by, *, applied):
    import uuid

    from django.utils import timezone

    version = ReviewVersion.objects.filter(review=review).order_by("-number").first()
    word_import = WordImport(
        review=review,
        token=uuid.uuid4(),
        original_name="bali.docx",
        size=2,
        sha256="0" * 64,
        base_version=version.number if version else 1,
        base_hash=version.content_hash if version else "0" * 64,
        parsed={"parts": {}, "comments": [], "warnings": []},
        uploaded_by=by,
        applied_at=timezone.now() if applied else None,
    )
    word_import.file.save("bali.docx", ContentFile(b"PK"), save=True)
    return word_import


def _attachment(review, by):
    attachment = Attachment(
        review=review,
        original_name="figures.csv",
        description="Figures",
        content_type="text/csv",
        size=4,
        sha256="0" * 64,
        uploaded_by=by,
    )
    attachment.file.save("figures.csv", ContentFile(b"a,b\n"), save=True)
    return attachment


def _pk(attribute):
    return lambda w: {"pk": getattr(w, attribute).pk}


def _objective(attribute):
    return lambda w: {"pk": getattr(w, attribute).pk, "number": 6}


def _attachment_of(review, attachment):
    return lambda w: {"pk": getattr(w, review).pk, "attachment_pk": getattr(w, attachment).pk}


# Reading a review. A draft is its secretariat's own (and the site administrators'): IOM sees its status
# on the IOM dashboard, not its content; focal points read it once submitted; everyone once approved.
READ_SUBMITTED = expect(200, anonymous=LOGIN, other_secretariat=403)
READ_DRAFT = expect(403, anonymous=LOGIN, own_secretariat=200, admin=200)
# Edit steps of a draft: its secretariat only; those who may read it but not change it are sent back to the
# reading page with a message (REDIRECT), those who may not read it get 403.
EDIT_DRAFT = expect(403, anonymous=LOGIN, own_secretariat=200, admin=REDIRECT)
# Once submitted the content is frozen for everyone, its own secretariat included.
EDIT_SUBMITTED = expect(REDIRECT, anonymous=LOGIN, other_secretariat=403)
# Workflow pages (actions, comments, history, versions): the secretariat, IOM and administrators.
WORKFLOW_SUBMITTED = expect(403, anonymous=LOGIN, own_secretariat=200, iom=200, admin=200)
WORKFLOW_DRAFT = expect(403, anonymous=LOGIN, own_secretariat=200, admin=200)
# POST actions: those who may follow the workflow get a redirect back with a success or refusal message.
WORKFLOW_POST = expect(403, anonymous=LOGIN, own_secretariat=REDIRECT, iom=REDIRECT, admin=REDIRECT)
IOM_ONLY = expect(403, anonymous=LOGIN, iom=200, admin=200)

CASES = [
    # Dashboards
    Case("reviews:my_reviews", logged_in(200)),
    Case("reviews:iom_dashboard", IOM_ONLY),
    # The rules decide for administrators too (accounts.models.User.has_perm): an administrator is no focal point.
    Case("reviews:focal_point_dashboard", expect(403, anonymous=LOGIN, focal_point=200)),
    # Cycles
    Case("reviews:cycle_list", IOM_ONLY),
    Case("reviews:cycle_create", IOM_ONLY),
    Case("reviews:cycle_edit", IOM_ONLY, lambda w: {"slug": w.new_cycle.slug}),
    # Whether a cycle exists is told only to those who may manage cycles.
    Case(
        "reviews:cycle_edit",
        expect(403, anonymous=LOGIN, iom=404, admin=404),
        lambda w: {"slug": "no"},
        label="unknown",
    ),
    # Starting: only the mechanism's own secretariat, administrators included in the refusal.
    Case("reviews:review_start", everyone(405), lambda w: {"cycle": w.new_cycle.slug, "mechanism": w.bali.slug}),
    Case(
        "reviews:review_start",
        expect(403, anonymous=LOGIN, own_secretariat=REDIRECT),
        lambda w: {"cycle": w.new_cycle.slug, "mechanism": w.bali.slug},
        method="POST",
    ),
    Case(
        "reviews:review_start",
        everyone(404),
        lambda w: {"cycle": "no-such", "mechanism": w.bali.slug},
        method="POST",
        label="unknown",
    ),
    # Reading
    Case("reviews:review_detail", READ_SUBMITTED, _pk("bali_submitted")),
    Case("reviews:review_detail", READ_DRAFT, _pk("bali_draft"), label="draft"),
    Case("reviews:review_detail", everyone(200), _pk("bali_approved"), label="approved"),
    Case("reviews:review_detail", everyone(404), lambda w: {"pk": 987654}, label="unknown"),
    Case("reviews:attachment_download", READ_SUBMITTED, _attachment_of("bali_submitted", "submitted_attachment")),
    Case(
        "reviews:attachment_download",
        READ_DRAFT,
        _attachment_of("bali_draft", "draft_attachment"),
        label="draft",
    ),
    Case(
        "reviews:attachment_download",
        expect(404, anonymous=LOGIN, other_secretariat=403),
        _attachment_of("bali_submitted", "draft_attachment"),
        label="other review's file",
    ),
    # Editing
    Case("reviews:review_edit_overview", EDIT_DRAFT, _pk("bali_draft"), label="draft"),
    Case("reviews:review_edit_overview", EDIT_SUBMITTED, _pk("bali_submitted")),
    Case("reviews:review_edit_objective", EDIT_DRAFT, _objective("bali_draft"), label="draft"),
    Case("reviews:review_edit_objective", EDIT_SUBMITTED, _objective("bali_submitted")),
    Case(
        "reviews:review_edit_objective",
        expect(404, anonymous=LOGIN, focal_point=403, other_secretariat=403, iom=403, admin=REDIRECT),
        lambda w: {"pk": w.bali_draft.pk, "number": 24},
        label="no objective 24",
    ),
    Case("reviews:review_attachments", EDIT_DRAFT, _pk("bali_draft"), label="draft"),
    Case("reviews:review_attachments", EDIT_SUBMITTED, _pk("bali_submitted")),
    Case("reviews:review_check", EDIT_DRAFT, _pk("bali_draft"), label="draft"),
    Case("reviews:review_check", EDIT_SUBMITTED, _pk("bali_submitted")),
    # "Checked, keep it" on a copied part: the secretariat of an editable review only.
    Case("reviews:copied_part_confirm", everyone(405), lambda w: {"pk": w.bali_draft.pk, "part": "objective:6"}),
    Case(
        "reviews:copied_part_confirm",
        expect(403, anonymous=LOGIN, own_secretariat=REDIRECT),
        lambda w: {"pk": w.bali_draft.pk, "part": "objective:6"},
        method="POST",
    ),
    Case(
        "reviews:copied_part_confirm",
        expect(403, anonymous=LOGIN),
        lambda w: {"pk": w.bali_submitted.pk, "part": "overview"},
        method="POST",
        label="submitted",
    ),
    Case("reviews:attachment_delete", everyone(405), _attachment_of("bali_draft", "draft_attachment")),
    Case(
        "reviews:attachment_delete",
        expect(403, anonymous=LOGIN, own_secretariat=REDIRECT),
        _attachment_of("bali_draft", "draft_attachment"),
        method="POST",
        label="draft",
    ),
    # The secretariat is told the submitted review is frozen (and nothing is deleted: tests/reviews).
    Case(
        "reviews:attachment_delete",
        expect(403, anonymous=LOGIN, own_secretariat=REDIRECT),
        _attachment_of("bali_submitted", "submitted_attachment"),
        method="POST",
    ),
    # Workflow
    Case("reviews:review_workflow", WORKFLOW_SUBMITTED, _pk("bali_submitted")),
    Case("reviews:review_workflow", WORKFLOW_DRAFT, _pk("bali_draft"), label="draft"),
    Case("reviews:review_workflow", everyone(404), lambda w: {"pk": 987654}, label="unknown"),
    Case("reviews:review_compare", WORKFLOW_SUBMITTED, _pk("bali_submitted")),
    Case("reviews:review_compare", WORKFLOW_DRAFT, _pk("bali_draft"), label="draft"),
    Case("reviews:review_transition", everyone(405), lambda w: {"pk": w.bali_submitted.pk, "action": "approve"}),
    # bali_submitted has an open comment: IOM and administrators are shown it and asked to confirm (409).
    Case(
        "reviews:review_transition",
        expect(403, anonymous=LOGIN, own_secretariat=REDIRECT, iom=409, admin=409),
        lambda w: {"pk": w.bali_submitted.pk, "action": "approve"},
        method="POST",
    ),
    Case(
        "reviews:review_transition",
        WORKFLOW_POST,
        lambda w: {"pk": w.bali_submitted.pk, "action": "approve"},
        method="POST",
        data={"confirmed": "yes"},
        label="confirmed",
    ),
    Case(
        "reviews:review_transition",
        # Submitting asks once (200, the page that says what will happen) before anything changes.
        expect(403, anonymous=LOGIN, own_secretariat=200, admin=REDIRECT),
        lambda w: {"pk": w.bali_draft.pk, "action": "submit"},
        method="POST",
        label="draft",
    ),
    Case("reviews:comment_add", everyone(405), _pk("bali_submitted")),
    Case(
        "reviews:comment_add",
        WORKFLOW_POST,
        _pk("bali_submitted"),
        method="POST",
        data={"part": "overview", "body": "Hi"},
    ),
    Case("reviews:comment_reply", WORKFLOW_POST, lambda w: {"comment_pk": w.comment.pk}, "POST", {"body": "Ok"}),
    Case("reviews:comment_resolve", WORKFLOW_POST, lambda w: {"comment_pk": w.comment.pk}, "POST"),
    Case("reviews:comment_resolve", everyone(404), lambda w: {"comment_pk": 987654}, "POST", label="unknown"),
    # Word round trip: who follows the workflow downloads; the secretariat uploads while it may edit, IOM (and
    # administrators, acting as IOM) while the review is with IOM, for the comments; an approved review, nobody.
    Case("reviews:review_word_download", WORKFLOW_SUBMITTED, _pk("bali_submitted")),
    Case("reviews:review_word_download", WORKFLOW_DRAFT, _pk("bali_draft"), label="draft"),
    Case("reviews:review_word_download", WORKFLOW_SUBMITTED, _pk("bali_approved"), label="approved"),
    Case("reviews:review_word_upload", expect(403, anonymous=LOGIN, own_secretariat=200), _pk("bali_draft")),
    Case(
        "reviews:review_word_upload",
        expect(403, anonymous=LOGIN, iom=200, admin=200),
        _pk("bali_submitted"),
        label="submitted",
    ),
    Case("reviews:review_word_upload", expect(403, anonymous=LOGIN), _pk("bali_approved"), label="approved"),
    # A pending upload is reached only by who uploaded it: for anyone else it does not exist.
    Case(
        "reviews:review_word_preview",
        expect(404, own_secretariat=200),
        lambda w: {"pk": w.bali_draft.pk, "token": w.pending_word.token},
    ),
    Case(
        "reviews:review_word_file",
        WORKFLOW_SUBMITTED,
        lambda w: {"pk": w.bali_submitted.pk, "token": w.applied_word.token},
    ),
    Case(
        "reviews:review_word_file",
        everyone(404),
        lambda w: {"pk": w.bali_draft.pk, "token": w.pending_word.token},
        label="not applied",
    ),
]
