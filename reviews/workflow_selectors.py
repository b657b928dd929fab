"""Reads for the workflow pages and dashboards, each with its queries fixed whatever the data size."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from mechanisms.models import Mechanism, Membership, Region

from .comments import part_label
from .enums import ReviewStatus as S
from .enums import WaitsOn, waits_on
from .models import Comment, Review, ReviewCycle, ReviewTransition, ReviewVersion
from .rules import FOCAL_POINT_VISIBLE_STATUSES

NOT_STARTED = "not_started"
# Work first: what waits on IOM, longest waiting first; then what waits on secretariats, most overdue first; then
# the rest, by name.
WORK_ORDER = {WaitsOn.IOM: 0, WaitsOn.SECRETARIAT: 1, WaitsOn.NOBODY: 2}
DASHBOARD_SORTS = {
    "work": lambda row: (WORK_ORDER[row.waits_on], -row.days_waiting, -row.days_overdue, row.mechanism.acronym.lower()),
    "mechanism": lambda row: row.mechanism.acronym.lower(),
    "status": lambda row: row.status_order,
    "due": lambda row: row.days_overdue,
    "activity": lambda row: row.last_activity or datetime.datetime.min.replace(tzinfo=datetime.UTC),
    "comments": lambda row: row.open_comments,
}


def _open_comments_subquery():
    return Coalesce(
        Subquery(
            Comment.objects.filter(review=OuterRef("pk"), parent__isnull=True, resolved_at__isnull=True)
            .values("review")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def _latest(model, field_name: str):
    return Subquery(
        model.objects.filter(review=OuterRef("pk")).values("review").annotate(m=Max(field_name)).values("m")
    )


def reviews_with_activity(queryset):
    """Reviews annotated with their open comment count and the times of their latest step, comment and version."""
    return queryset.annotate(
        open_comments=_open_comments_subquery(),
        last_transition_at=_latest(ReviewTransition, "at"),
        last_comment_at=_latest(Comment, "created_at"),
        last_version_at=_latest(ReviewVersion, "created_at"),
    )


def _last_activity(review: Review):
    times = [review.updated_at, review.last_transition_at, review.last_comment_at, review.last_version_at]
    return max((time for time in times if time is not None), default=None)


@dataclass
class DashboardRow:
    mechanism: Mechanism
    cycle: ReviewCycle
    review: Review | None
    status: str  # a ReviewStatus value or NOT_STARTED
    status_label: str
    status_order: int
    waits_on: WaitsOn
    days_waiting: int  # since the review's last step, while it waits on IOM
    days_overdue: int
    last_activity: datetime.datetime | None
    open_comments: int

    @property
    def due_on(self) -> datetime.date:
        return self.cycle.due_on

    @property
    def waiting_on_secretariat(self) -> bool:
        return self.waits_on == WaitsOn.SECRETARIAT

    @property
    def waiting_on_iom(self) -> bool:
        return self.waits_on == WaitsOn.IOM


def status_choices() -> list[tuple[str, str]]:
    return [(NOT_STARTED, _("Not started")), *S.choices]


def _dashboard_row(mechanism, cycle, review, today, labels, order) -> DashboardRow:
    status = review.status if review else NOT_STARTED
    waiting = waits_on(review.status if review else None)
    waiting_since = review.last_transition_at if review else None
    return DashboardRow(
        mechanism=mechanism,
        cycle=cycle,
        review=review,
        status=status,
        status_label=str(labels[status]),
        status_order=order[status],
        waits_on=waiting,
        days_waiting=(today - waiting_since.date()).days if waiting == WaitsOn.IOM and waiting_since else 0,
        days_overdue=max((today - cycle.due_on).days, 0) if waiting == WaitsOn.SECRETARIAT else 0,
        last_activity=_last_activity(review) if review else None,
        open_comments=review.open_comments if review else 0,
    )


def _labels_and_order():
    labels = dict(status_choices())
    return labels, {value: index for index, value in enumerate(labels)}


def iom_dashboard_rows(
    *, cycle: ReviewCycle, today: datetime.date, kind: str = "", region: int | None = None
) -> list[DashboardRow]:
    """One row per mechanism (including those without a review) for a cycle: two queries."""
    mechanisms = Mechanism.objects.order_by("acronym")
    if kind:
        mechanisms = mechanisms.filter(kind=kind)
    if region:
        mechanisms = mechanisms.filter(regions=region).distinct()
    reviews = {review.mechanism_id: review for review in reviews_with_activity(Review.objects.filter(cycle=cycle))}
    labels, order = _labels_and_order()
    return [
        _dashboard_row(mechanism, cycle, reviews.get(mechanism.pk), today, labels, order) for mechanism in mechanisms
    ]


def dashboard_filter_regions():
    return Region.objects.filter(mechanisms__isnull=False).distinct().order_by("name")


def secretariat_dashboard_rows(*, user, today: datetime.date) -> list[DashboardRow]:
    """The user's reviews, and the review each of their mechanisms has yet to start in the newest open cycle:
    three queries.

    An earlier cycle without a review is history, not work: it is not listed, so "waits on you" counts only what
    the secretariat can act on (the same `waits_on` as everywhere).
    """
    mechanisms = list(Mechanism.objects.filter(pk__in=user.secretariat_mechanism_ids).order_by("acronym"))
    reviews = {
        (review.mechanism_id, review.cycle_id): review
        for review in reviews_with_activity(Review.objects.filter(mechanism__in=user.secretariat_mechanism_ids))
    }
    cycle_ids = {cycle_id for _mechanism_id, cycle_id in reviews}
    cycles = list(ReviewCycle.objects.filter(Q(opens_on__lte=today) | Q(pk__in=cycle_ids)).order_by("-review_year"))
    newest_open = next((cycle for cycle in cycles if cycle.opens_on <= today), None)
    labels, order = _labels_and_order()
    return [
        _dashboard_row(mechanism, cycle, reviews.get((mechanism.pk, cycle.pk)), today, labels, order)
        for cycle in cycles
        for mechanism in mechanisms
        if cycle == newest_open or (mechanism.pk, cycle.pk) in reviews
    ]


def focal_point_reviews(*, user):
    """Visible reviews of the mechanisms the focal point's State currently belongs to: one query."""
    mechanism_ids = Membership.objects.current().filter(state=user.focal_point_state_id).values("mechanism")
    return (
        Review.objects.filter(mechanism__in=mechanism_ids, status__in=FOCAL_POINT_VISIBLE_STATUSES)
        .select_related("mechanism", "cycle")
        .order_by("-cycle__review_year", "mechanism__acronym")
    )


def workflow_page_data(review: Review) -> dict:
    """Everything the workflow page shows beside the review itself."""
    transitions = list(review.transitions.select_related("by"))
    versions = list(
        ReviewVersion.objects.filter(review=review).select_related("created_by", "word_import").defer("content")
    )
    reports = list(review.objective_reports.select_related("objective"))
    attachments = list(review.attachments.all())
    return {"transitions": transitions, "versions": versions, "reports": reports, "attachments": attachments}


@dataclass
class OpenComment:
    part: str
    label: str  # the part's name, e.g. "Objective 6"
    comment: Comment

    @property
    def objective(self) -> int | None:
        kind, _sep, number = self.part.partition(":")
        return int(number) if kind == "objective" else None


@dataclass
class ChangesRequested:
    """What IOM asked for, shown at the top of a review sent back: when, by whom, the note and the open comments."""

    step: ReviewTransition | None
    comments: list[OpenComment]


def changes_requested_summary(review: Review) -> ChangesRequested | None:
    """For a review sent back to its secretariat: the request and its open comments, part by part (two queries)."""
    if review.status != S.CHANGES_REQUESTED:
        return None
    step = review.transitions.filter(action="request_changes").select_related("by").order_by("-at", "-pk").first()
    names = {attachment.pk: attachment.original_name for attachment in review.attachments.all()}
    comments = [
        OpenComment(comment.part, part_label(comment.part, names), comment)
        for comment in Comment.objects.filter(review=review, parent__isnull=True, resolved_at__isnull=True).order_by(
            "created_at", "pk"
        )
    ]
    return ChangesRequested(step, sorted(comments, key=lambda item: _part_order(item.part)))


def _part_order(part: str) -> tuple[int, int]:
    kind, _sep, number = part.partition(":")
    return ({"review": 0, "overview": 1, "objective": 2, "attachment": 3}.get(kind, 4), int(number or 0))
