"""What a review holds and what is missing: shown in the completeness panel and checked on submission."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Problem:
    message: str
    anchor: str  # where to fix it: a URL fragment or step name


@dataclass
class Completeness:
    problems: list[Problem] = field(default_factory=list)

    @property
    def is_complete(self) -> bool:
        return not self.problems


def review_completeness(review) -> Completeness:
    """Minimum for submission: the overview's key parts and at least one objective with progress."""
    result = Completeness()
    if not review.method.strip():
        result.problems.append(Problem(_("Describe how the review was carried out."), "overview-method"))
    if not review.key_messages.strip():
        result.problems.append(Problem(_("Write the key messages to the IMRF."), "overview-key_messages"))
    if not review.participating_states.exists():
        result.problems.append(Problem(_("Choose the States that took part."), "overview-participating_states"))
    if not review.objective_reports.exclude(progress="").exists():
        result.problems.append(Problem(_("Report progress on at least one GCM objective."), "objectives"))
    return result
