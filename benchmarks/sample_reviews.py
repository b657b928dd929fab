"""Realistic-looking review text for benchmarks and screenshots, generated from a vocabulary of migration topics.

Each objective has its own topics, so "ethical recruitment" turns up mostly under objective 6, "remittances"
under objective 20, and so on, with occasional mentions elsewhere, as in real reviews.
"""

import datetime
import random

from django.utils import timezone

from gcm.topics import OBJECTIVE_TOPICS as TOPICS

ACTORS = [
    "Member States",
    "Three Member States",
    "The secretariat",
    "A regional working group",
    "Several States",
    "National focal points",
    "The chairing State",
    "Ministries of labour",
]
ACTIONS = [
    "adopted a regional framework on",
    "piloted a joint programme on",
    "agreed common guidelines for",
    "trained officials on",
    "set up a peer-learning network on",
    "published a regional study on",
    "launched a digital platform for",
    "signed a memorandum of understanding on",
]
QUALIFIERS = [
    "with support from IOM",
    "together with civil society and trade unions",
    "in cooperation with the private sector",
    "covering women migrant workers",
    "in border regions",
    "with a gender-responsive approach",
    "with local authorities",
    "for seasonal and domestic workers",
]
CHALLENGES = [
    "Funding for {topic} remains short-term and depends on donors.",
    "Data on {topic} are fragmented across ministries.",
    "Implementation of {topic} commitments is uneven between States.",
    "Coordination on {topic} between origin and destination countries is weak.",
    "Capacity for {topic} at local level is limited.",
]
RECOMMENDATIONS = [
    "Scale up {topic} through a regional fund.",
    "Share practice on {topic} with other regions through the IMRF.",
    "Set common indicators to monitor {topic}.",
    "Involve migrants and diaspora organisations in {topic}.",
    "Strengthen bilateral cooperation on {topic}.",
]


def _sentence(rng: random.Random, objective: int) -> str:
    topic = rng.choice(TOPICS[objective])
    text = f"{rng.choice(ACTORS)} {rng.choice(ACTIONS)} {topic} {rng.choice(QUALIFIERS)}."
    if rng.random() < 0.15:  # a cross-mention of another objective's topic, as real reviews do
        other = rng.choice(TOPICS[rng.randint(1, 23)])
        text += f" The work also touched on {other}."
    return text


def _items(rng, objective, templates, low, high):
    lines = []
    for _ in range(rng.randint(low, high)):
        topic = rng.choice(TOPICS[objective])
        lines.append("- " + rng.choice(templates).format(topic=topic) + " " + _sentence(rng, objective))
    return "\n".join(lines)


def report_texts(rng: random.Random, objective: int) -> dict[str, str]:
    good = []
    for _ in range(rng.randint(2, 4)):
        topic = rng.choice(TOPICS[objective])
        lead = topic[0].upper() + topic[1:]
        good.append(f"- **{lead}.** {_sentence(rng, objective)} {_sentence(rng, objective)}")
    return {
        "progress": " ".join(_sentence(rng, objective) for _ in range(rng.randint(2, 3))),
        "good_practices": "\n".join(good),
        "challenges": _items(rng, objective, CHALLENGES, 1, 3),
        "recommendations": _items(rng, objective, RECOMMENDATIONS, 2, 3),
    }


def populate(*, cycles: int = 10, seed: int = 2026, approved_share: float = 0.8) -> dict[str, int]:
    """Create `cycles` review cycles with a review from every mechanism, each reporting on 8 to 12 objectives."""
    from gcm.models import GuidingPrinciple, Objective
    from mechanisms.models import Mechanism
    from reviews.enums import ReviewStatus
    from reviews.models import ObjectiveReport, Review, ReviewCycle

    rng = random.Random(seed)
    objectives = {objective.number: objective for objective in Objective.objects.all()}
    principles = list(GuidingPrinciple.objects.all())
    mechanisms = list(Mechanism.objects.order_by("acronym"))
    other_statuses = [ReviewStatus.DRAFT, ReviewStatus.SUBMITTED, ReviewStatus.IN_REVIEW, ReviewStatus.REOPENED]
    reviews = []
    for index in range(cycles):
        year = 2026 - 2 * (cycles - 1 - index)
        cycle, _created = ReviewCycle.objects.get_or_create(
            slug=f"{year}-regional-reviews",
            defaults={
                "name": f"{year} regional reviews",
                "review_year": year,
                "imrf_year": year + 2,
                "opens_on": datetime.date(year, 1, 15),
                "due_on": datetime.date(year, 12, 31),
            },
        )
        for mechanism in mechanisms:
            approved = rng.random() < approved_share
            reviews.append(
                Review(
                    mechanism=mechanism,
                    cycle=cycle,
                    status=ReviewStatus.APPROVED if approved else rng.choice(other_statuses),
                    approved_at=timezone.now() if approved else None,
                    method="Regional consultations and a survey of Member States.",
                    key_messages=" ".join(_sentence(rng, rng.randint(1, 23)) for _ in range(2)),
                )
            )
    reviews = Review.objects.bulk_create(reviews)
    reports = []
    for review in reviews:
        for number in sorted(rng.sample(range(1, 24), rng.randint(8, 12))):
            reports.append(
                ObjectiveReport(
                    review=review,
                    objective=objectives[number],
                    is_regional_priority=rng.random() < 0.3,
                    **report_texts(rng, number),
                )
            )
    reports = ObjectiveReport.objects.bulk_create(reports, batch_size=1000)
    links = [
        ObjectiveReport.guiding_principles.through(objectivereport_id=report.pk, guidingprinciple_id=principle.pk)
        for report in reports
        for principle in rng.sample(principles, rng.randint(1, 3))
    ]
    ObjectiveReport.guiding_principles.through.objects.bulk_create(links, batch_size=2000)
    return {"cycles": cycles, "reviews": len(reviews), "reports": len(reports)}
