"""What a review holds and what is missing: shown in the completeness panel and checked on submission.

`review_completeness` reads through `.all()` so that a review loaded by `selectors.review_for_edit`
(everything prefetched) costs no extra query, whatever the number of objectives filled.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .enums import OBJECTIVE_TEXT_FIELDS


@dataclass(frozen=True)
class Problem:
    message: str
    anchor: str  # where to fix it: "overview-<field>", "objective-<number>-<field>" or "objectives"


@dataclass(frozen=True)
class Item:
    label: str
    filled: bool
    anchor: str
    required: bool = False


@dataclass
class Completeness:
    problems: list[Problem] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    objectives_addressed: int = 0
    attachments: int = 0

    @property
    def is_complete(self) -> bool:
        return not self.problems

    @property
    def filled_count(self) -> int:
        return sum(1 for item in self.items if item.filled)


def objective_report_has_content(report) -> bool:
    return bool(
        report.is_regional_priority
        or any(getattr(report, name).strip() for name in OBJECTIVE_TEXT_FIELDS)
        or report.guiding_principles.all()
    )


def copied_from_label(review) -> str:
    """The cycle a review's copied parts come from, as the editor and the final check name it."""
    if review.started_from_id is None:
        return ""
    return review.started_from.cycle.name


def review_completeness(review) -> Completeness:
    """Required for submission: how the review was done, key messages, the States that took part and
    progress on at least one objective; an objective that was started needs its progress described."""
    result = Completeness()
    states = list(review.participating_states.all())
    reports = [report for report in review.objective_reports.all() if objective_report_has_content(report)]
    meetings = list(review.meetings.all())
    result.objectives_addressed = len(reports)
    result.attachments = len(review.attachments.all())

    overview = [
        (_("How the review was carried out"), bool(review.method.strip()), "overview-method", True),
        (_("Meetings and their dates"), bool(meetings), "overview-meetings", False),
        (_("Mandate given by Member States"), bool(review.mandate.strip()), "overview-mandate", False),
        (_("States that took part"), bool(states), "overview-participating_states", True),
        (_("Stakeholders consulted"), bool(review.stakeholders_consulted), "overview-stakeholders_consulted", False),
        (_("Partnerships"), bool(review.partnerships.strip()), "overview-partnerships", False),
        (_("Key messages to the IMRF"), bool(review.key_messages.strip()), "overview-key_messages", True),
    ]
    result.items = [Item(label, filled, anchor, required) for label, filled, anchor, required in overview]
    result.items.append(
        Item(_("Progress on at least one GCM objective"), any(r.progress.strip() for r in reports), "objectives", True)
    )
    result.items.append(Item(_("Attachments"), bool(result.attachments), "attachments", False))

    if not review.method.strip():
        result.problems.append(Problem(_("Describe how the review was carried out."), "overview-method"))
    if not review.key_messages.strip():
        result.problems.append(Problem(_("Write the key messages to the IMRF."), "overview-key_messages"))
    if not states:
        result.problems.append(Problem(_("Choose the States that took part."), "overview-participating_states"))
    if not any(report.progress.strip() for report in reports):
        result.problems.append(Problem(_("Report progress on at least one GCM objective."), "objectives"))
    copied = copied_from_label(review)
    if review.overview_copy_unchecked:
        result.problems.append(
            Problem(
                _("Overview: copied from %(cycle)s. Check it: edit it, or confirm it is still right.")
                % {"cycle": copied},
                "overview-copied",
            )
        )
    for report in sorted(reports, key=lambda r: r.objective.number):
        if report.copy_unchecked:
            result.problems.append(
                Problem(
                    _("Objective %(number)s: copied from %(cycle)s. Check it: edit it, or confirm it is still right.")
                    % {"number": report.objective.number, "cycle": copied},
                    f"objective-{report.objective.number}-copied",
                )
            )
        if not report.progress.strip():
            result.problems.append(
                Problem(
                    _("Objective %(number)s: describe the progress made.") % {"number": report.objective.number},
                    f"objective-{report.objective.number}-progress",
                )
            )
    return result
