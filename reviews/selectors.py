"""Reads of the reviews app, with their joins and prefetches done here."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, prefetch_related_objects

from accounts.rules import is_iom_staff, is_site_admin
from gcm import selectors as gcm_selectors
from gcm.models import Objective
from mechanisms.models import Mechanism, Membership, State

from .enums import EDITABLE_STATUSES, ReviewStatus, WaitsOn, waits_on
from .models import ObjectiveReport, Review, ReviewCycle, ReviewVersion
from .rules import HIDDEN_FROM_FOCAL_POINTS, HIDDEN_FROM_IOM


def _reports_prefetch() -> Prefetch:
    return Prefetch(
        "objective_reports",
        queryset=ObjectiveReport.objects.select_related("objective").prefetch_related("guiding_principles"),
    )


def _detail_prefetches() -> tuple:
    return (
        Prefetch("participating_states", queryset=State.objects.order_by("name")),
        "meetings",
        _reports_prefetch(),
        "attachments",
    )


def review_for_detail() -> QuerySet[Review]:
    """Everything the reading page shows, in a fixed number of queries."""
    return Review.objects.select_related("mechanism", "cycle", "started_from__cycle").prefetch_related(
        *_detail_prefetches()
    )


def review_for_edit() -> QuerySet[Review]:
    """What every edit step needs: the sidebar's filled markers and the completeness panel."""
    return review_for_detail()


def review_for_objective_edit() -> QuerySet[Review]:
    """The review whose objective is being edited, without its parts: the page loads only the objective shown
    (`objective_report_for_edit`), and the steps and completeness panel load the rest (`review_parts_load`) only
    when they are drawn rather than taken from the cache, as the cycle a copied review came from."""
    return Review.objects.select_related("mechanism", "cycle")


def review_parts_load(review: Review) -> Review:
    """Load what `review_for_edit` prefetches into a review loaded without it (nothing is loaded twice)."""
    prefetch_related_objects([review], *_detail_prefetches())
    return review


def objective_report_for_edit(review: Review, objective: Objective) -> ObjectiveReport | None:
    """The review's report on one objective, or None if not started, with its guiding principles' ids in
    `principle_ids` (a plain list of ids: the form's choices come from the reference data's cache)."""
    # Through the review's manager: each report knows its review without a query.
    report = review.objective_reports.filter(objective=objective).first()
    if report is not None:
        through = ObjectiveReport.guiding_principles.through
        report.principle_ids = list(
            through.objects.filter(objectivereport=report).values_list("guidingprinciple_id", flat=True)
        )
    return report


def objectives_all() -> list[Objective]:
    return gcm_selectors.objectives()


def visible_reviews(user) -> QuerySet[Review]:
    """Reviews this user may read, as one filter (the same rule as `reviews.view_review`)."""
    reviews = Review.objects.all()
    if is_site_admin(user):
        return reviews
    visible = Q(status=ReviewStatus.APPROVED)
    if is_iom_staff(user):
        visible |= ~Q(status__in=HIDDEN_FROM_IOM)
    if user.is_authenticated:
        visible |= Q(mechanism_id__in=user.secretariat_mechanism_ids)
        if user.focal_point_state_id:
            member_of = Membership.objects.current().filter(state_id=user.focal_point_state_id).values("mechanism_id")
            visible |= Q(mechanism_id__in=member_of) & ~Q(status__in=HIDDEN_FROM_FOCAL_POINTS)
    return reviews.filter(visible)


def reviews_for_mechanism(mechanism: Mechanism, user) -> QuerySet[Review]:
    """The mechanism's reviews this user may read, newest cycle first (for the mechanism page)."""
    return visible_reviews(user).filter(mechanism=mechanism).select_related("cycle").order_by("-cycle__review_year")


def reviews_for_state(state: State, user) -> QuerySet[Review]:
    """Reviews of the mechanisms the State currently belongs to that this user may read (for the State page)."""
    current = Membership.objects.current().filter(state=state).values("mechanism_id")
    return (
        visible_reviews(user)
        .filter(mechanism_id__in=current)
        .select_related("mechanism", "cycle")
        .order_by("-cycle__review_year", "mechanism__acronym")
    )


def objectives_reported_on(mechanism: Mechanism, user) -> QuerySet[Objective]:
    """GCM objectives the mechanism's handed-in reviews report on, with the number of reviews for each.

    Only reviews this user may read count, so the list never tells what an unreadable review is about; a
    draft or withdrawn review is the secretariat's working copy and reports on nothing yet, even to it.
    """
    handed_in = (
        visible_reviews(user).filter(mechanism=mechanism).exclude(status__in=HIDDEN_FROM_FOCAL_POINTS).values("pk")
    )
    return (
        Objective.objects.filter(reports__review__in=handed_in)
        .annotate(review_count=Count("reports__review", distinct=True))
        .order_by("number")
    )


@dataclass
class DashboardRow:
    mechanism: Mechanism
    cycle: ReviewCycle
    review: Review | None
    can_start_from_previous: bool
    can_start: bool
    previous_cycle: ReviewCycle | None = None  # the cycle "Start from last cycle" copies from

    @property
    def waiting_on_secretariat(self) -> bool:
        return waits_on(self.review.status if self.review else None) == WaitsOn.SECRETARIAT

    @property
    def is_editable(self) -> bool:
        return self.review is not None and self.review.status in EDITABLE_STATUSES


def secretariat_dashboard(user) -> list[tuple[Mechanism, list[DashboardRow]]]:
    """For each mechanism the user works for: every cycle, its review if any, and what can be started.

    Four queries whatever the number of mechanisms and cycles.
    """
    mechanisms = list(Mechanism.objects.filter(pk__in=user.secretariat_mechanism_ids).order_by("acronym"))
    cycles = list(ReviewCycle.objects.order_by("-review_year"))
    reviews = {
        (review.mechanism_id, review.cycle_id): review
        for review in Review.objects.filter(mechanism__in=mechanisms).select_related("cycle")
    }
    result = []
    for mechanism in mechanisms:
        rows = []
        for cycle in cycles:
            earlier = sorted(
                (
                    review
                    for (mechanism_id, _cycle_id), review in reviews.items()
                    if mechanism_id == mechanism.pk
                    and review.cycle.review_year < cycle.review_year
                    and review.status == ReviewStatus.APPROVED
                ),
                key=lambda review: review.cycle.review_year,
            )
            review = reviews.get((mechanism.pk, cycle.pk))
            # Only the newest cycle is started from here; earlier rounds are history.
            can_start = review is None and cycle == cycles[0]
            previous = earlier[-1].cycle if earlier else None
            rows.append(DashboardRow(mechanism, cycle, review, can_start and bool(earlier), can_start, previous))
        result.append((mechanism, rows))
    return result


def cycle_list() -> QuerySet[ReviewCycle]:
    return ReviewCycle.objects.annotate(
        review_count=Count("reviews"),
        submitted_count=Count("reviews", filter=~Q(reviews__status__in=[ReviewStatus.DRAFT, ReviewStatus.WITHDRAWN])),
    ).order_by("-review_year")


def _latest_version_number() -> Subquery:
    return Subquery(
        ReviewVersion.objects.filter(review=OuterRef("pk")).order_by("-number").values("number")[:1],
        output_field=IntegerField(),
    )


def reviews_listed_for(user) -> QuerySet[Review]:
    """The reviews this user may read, with their mechanism, cycle and latest version number (`version`),
    newest cycle first, then by mechanism: a total order (one review per mechanism and cycle)."""
    return (
        visible_reviews(user)
        .select_related("mechanism", "cycle")
        .annotate(version=_latest_version_number())
        .order_by("-cycle__review_year", "cycle__slug", "mechanism__acronym")
    )


def review_read_for(user) -> QuerySet[Review]:
    """`reviews_listed_for` with everything the reading page shows (`review_for_detail`'s prefetches)."""
    return reviews_listed_for(user).prefetch_related(*_detail_prefetches())
