"""Reads of the packages app: the approved reviews a package takes in, and the snapshot a compile works from."""

from django.apps import apps
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Trim

from gcm.models import Objective
from iscm_portal.reference_languages import TRANSLATED_LANGUAGES
from mechanisms.models import Membership, State
from mechanisms.selectors import mechanisms_in_region
from reviews.enums import OBJECTIVE_TEXT_FIELDS, ReviewStatus, StakeholderType
from reviews.models import ObjectiveReport, Review
from reviews.serialisation import review_content_hash

from .models import Package, PackageVersion, SynthesisComment, SynthesisText, SynthesisVersion


def package_list() -> QuerySet[Package]:
    latest = PackageVersion.objects.order_by("package", "-number")
    return (
        Package.objects.select_related("cycle", "created_by")
        .prefetch_related("regions", "mechanisms", Prefetch("versions", queryset=latest))
        .order_by("-created_at")
    )


def package_detail(pk: int) -> QuerySet[Package]:
    versions = PackageVersion.objects.select_related("requested_by").order_by("-number")
    return (
        Package.objects.filter(pk=pk)
        .select_related("cycle", "created_by")
        .prefetch_related("regions", "mechanisms", Prefetch("versions", queryset=versions))
    )


def package_versions(pk: int) -> QuerySet[PackageVersion]:
    return PackageVersion.objects.filter(package_id=pk).select_related("requested_by").order_by("-number")


def package_version(pk: int, number: int) -> QuerySet[PackageVersion]:
    return PackageVersion.objects.filter(package_id=pk, number=number).select_related("package__cycle")


def approved_reviews(*, cycle_id: int, region_ids=(), mechanism_ids=()) -> QuerySet[Review]:
    """The approved reviews of a cycle, narrowed to mechanisms and/or regions when a selection is given."""
    reviews = Review.objects.filter(cycle_id=cycle_id, status=ReviewStatus.APPROVED)
    selection = Q()
    if mechanism_ids:
        selection |= Q(mechanism_id__in=mechanism_ids)
    if region_ids:
        selection |= Q(mechanism__in=mechanisms_in_region(list(region_ids)))
    return reviews.filter(selection).order_by("mechanism__acronym")


def package_reviews(package: Package) -> QuerySet[Review]:
    return approved_reviews(
        cycle_id=package.cycle_id,
        region_ids=[region.pk for region in package.regions.all()],
        mechanism_ids=[mechanism.pk for mechanism in package.mechanisms.all()],
    )


def _stakeholder(item) -> dict:
    """A stakeholder as recorded: its kind (labelled in the report's language when printed) and its name."""
    if isinstance(item, dict):
        return {"kind": item.get("type") or item.get("kind") or "", "name": item.get("name") or item.get("label") or ""}
    return {"kind": str(item), "name": ""}


def _stakeholder_label(item) -> str:
    labels = dict(StakeholderType.choices)
    if isinstance(item, dict):
        kind = item.get("type") or item.get("kind") or ""
        name = item.get("name") or item.get("label") or ""
        label = str(labels.get(kind, kind))
        return f"{label}: {name}" if name and label else str(name or label)
    return str(labels.get(item, item))


def _state(state) -> dict:
    region = state.region
    return {
        "iso3": state.iso3,
        "name": state.name,
        "un_status": state.un_status,
        "gcm_vote_2018": state.gcm_vote_2018,
        # The M49 region, with its official names (the charts group States by it in the report's language).
        "region": {"name": region.name, **{f"name_{k}": getattr(region, f"name_{k}") for k in TRANSLATED_LANGUAGES}},
    }


def _principle(principle) -> dict:
    """A guiding principle with its name in every language the reference data has (blank where no source)."""
    names = {language: getattr(principle, f"name_{language}") for language in TRANSLATED_LANGUAGES}
    return {"letter": principle.letter, "name": principle.name, **{f"name_{k}": v for k, v in names.items()}}


def review_snapshot(review: Review) -> dict:
    """Everything the report and the data package say about one review, as plain JSON-ready data.

    `review` must come from `snapshot_reviews()` so that nothing here runs a query.
    """
    mechanism = review.mechanism
    data = {
        "id": review.pk,
        "revision": review.revision,
        "language": review.language,
        "approved_at": review.approved_at.isoformat() if review.approved_at else None,
        "mechanism": {
            "id": mechanism.pk,
            "slug": mechanism.slug,
            "acronym": mechanism.acronym,
            "name": mechanism.name,
            "kind": mechanism.kind,
            "secretariat": mechanism.secretariat,
            "regions": [region.name for region in mechanism.regions.all()],
            "members": [
                {**_state(membership.state), "role": membership.role} for membership in mechanism.current_memberships
            ],
        },
        "method": review.method,
        "mandate": review.mandate,
        "partnerships": review.partnerships,
        "key_messages": review.key_messages,
        "stakeholders_consulted": [_stakeholder_label(item) for item in review.stakeholders_consulted or []],
        "stakeholders": [_stakeholder(item) for item in review.stakeholders_consulted or []],
        "participating_states": [_state(state) for state in review.participating_states.all()],
        "meetings": [
            {"title": meeting.title, "held_on": meeting.held_on.isoformat(), "place": meeting.place}
            for meeting in review.meetings.all()
        ],
        "reports": [
            {
                "objective": report.objective.number,
                "is_regional_priority": report.is_regional_priority,
                "revision": report.revision,
                **{field: getattr(report, field) for field in OBJECTIVE_TEXT_FIELDS},
                "guiding_principles": [principle.name for principle in report.guiding_principles.all()],
                "principles": [_principle(principle) for principle in report.guiding_principles.all()],
            }
            for report in review.objective_reports.all()
        ],
        "attachments": [
            {
                "id": attachment.pk,
                "original_name": attachment.original_name,
                "description": attachment.description,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "sha256": attachment.sha256,
                "path": attachment.file.name,
            }
            for attachment in review.attachments.all()
        ],
    }
    # The reviews app's hash of the content: the same as the review version's, so a manifest names what it printed.
    data["content_hash"] = review_content_hash(review)
    return data


def snapshot_reviews(reviews: QuerySet[Review]) -> QuerySet[Review]:
    memberships = Membership.objects.current().select_related("state__region").order_by("state__name")
    reports = ObjectiveReport.objects.select_related("objective").prefetch_related("guiding_principles")
    return reviews.select_related("mechanism", "cycle").prefetch_related(
        "mechanism__regions",
        Prefetch("mechanism__memberships", queryset=memberships, to_attr="current_memberships"),
        Prefetch("participating_states", queryset=State.objects.select_related("region")),
        "meetings",
        Prefetch("objective_reports", queryset=reports.order_by("objective__number")),
        "attachments",
    )


def _cycle(cycle) -> dict:
    return {"slug": cycle.slug, "name": cycle.name, "review_year": cycle.review_year, "imrf_year": cycle.imrf_year}


def _objectives() -> list[dict]:
    """The 23 objectives with their official titles in every language the reference data has."""
    return [
        {
            "number": objective.number,
            "title": objective.title,
            "short_label": objective.short_label,
            **{f"title_{language}": getattr(objective, f"title_{language}") for language in TRANSLATED_LANGUAGES},
        }
        for objective in Objective.objects.order_by("number")
    ]


def related_pledges(reviews: list[dict]) -> list[dict]:
    """Published pledges made by the reviewed mechanisms or their Member States, with their objective numbers.

    The pledges app is optional for packages: without a `pledges.Pledge` model that has an `objectives`
    relation this returns nothing and the report has no pledges annex. Fields are used only if present.
    """
    try:
        pledge_model = apps.get_model("pledges", "Pledge")
    except LookupError:
        return []
    fields = {field.name for field in pledge_model._meta.get_fields()}
    if "objectives" not in fields or not reviews:
        return []
    pledges = pledge_model.objects.all()
    if "is_published" in fields:
        pledges = pledges.filter(is_published=True)
    related = Q()
    if "pledger_mechanism" in fields:
        related |= Q(pledger_mechanism_id__in=[review["mechanism"]["id"] for review in reviews])
    if "pledger_state" in fields:
        members = {m["iso3"] for review in reviews for m in review["mechanism"]["members"] if m["role"] == "member"}
        related |= Q(pledger_state__iso3__in=members)
    if related:
        pledges = pledges.filter(related)
    pledgers = [name for name in ("pledger_state", "pledger_mechanism") if name in fields]
    pledges = pledges.select_related(*pledgers).prefetch_related("objectives").order_by("title")
    # The same pledge announced at two IMRF editions (or recorded twice) is listed once, with its editions.
    result: dict[tuple[str, str], dict] = {}
    for pledge in pledges:
        by = next((str(getattr(pledge, name)) for name in pledgers if getattr(pledge, name, None)), "")
        title = str(getattr(pledge, "title", "") or pledge)
        by = by or str(getattr(pledge, "pledger_name", "") or "")
        item = result.setdefault(
            (title.strip().casefold(), by.strip().casefold()),
            {"id": pledge.pk, "title": title, "by": by, "objectives": [], "editions": []},
        )
        item["objectives"] = sorted({*item["objectives"], *(objective.number for objective in pledge.objectives.all())})
        edition = getattr(pledge, "imrf_edition", None)
        if edition and edition not in item["editions"]:
            item["editions"] = sorted([*item["editions"], edition])
    return list(result.values())


def package_snapshot(package: Package, *, language: str = "") -> dict:
    """The frozen input of one compile: the package, the objectives, every selected review, related pledges.

    It holds everything the report needs in any of its languages; `language` (by default the package's)
    says which one this compile writes.
    """
    cycle = package.cycle
    reviews = [review_snapshot(review) for review in snapshot_reviews(package_reviews(package))]
    return {
        "language": language or package.language,
        "package": {"id": package.pk, "title": package.title, "foreword": package.foreword},
        "cycle": _cycle(cycle),
        "objectives": _objectives(),
        "reviews": reviews,
        "pledges": related_pledges(reviews),
        "synthesis": synthesis_snapshot(package.pk),
    }


def review_versions(snapshot: dict) -> list[dict]:
    return [
        {
            "review_id": review["id"],
            "mechanism": review["mechanism"]["acronym"],
            "revision": review["revision"],
            "content_hash": review["content_hash"],
        }
        for review in snapshot["reviews"]
    ]


def review_for_pdf(review_id: int) -> QuerySet[Review]:
    return snapshot_reviews(Review.objects.filter(pk=review_id))


def review_pdf_snapshot(review: Review) -> dict:
    """The snapshot shape the report templates read, holding one review."""
    cycle = review.cycle
    return {
        "language": review.language,
        "package": {"id": None, "title": f"{review.mechanism.acronym}: {cycle.name}", "foreword": ""},
        "cycle": _cycle(cycle),
        "objectives": _objectives(),
        "reviews": [review_snapshot(review)],
    }


# ---------------------------------------------------------------------------------------------------------------
# IOM's synthesis


def synthesis_serialise(package_id: int) -> dict:
    """The synthesis as stored now: its versions keep this form, the compile's snapshot prints it."""
    summary, objectives = "", {}
    rows = SynthesisText.objects.filter(package_id=package_id).values_list("objective__number", "text")
    for objective_number, text in rows:
        if not text.strip():
            continue
        if objective_number is None:
            summary = text
        else:
            objectives[str(objective_number)] = text
    return {"summary": summary, "objectives": dict(sorted(objectives.items(), key=lambda item: int(item[0])))}


def synthesis_snapshot(package_id: int) -> dict:
    """What a compile prints of the synthesis: its texts, whether it is final and the version they are."""
    final = Package.objects.filter(pk=package_id, synthesis_final_at__isnull=False).exists()
    latest = SynthesisVersion.objects.filter(package_id=package_id).order_by("-number").first()
    return {**synthesis_serialise(package_id), "final": final, "version": latest.number if latest else None}


def synthesis_texts(package: Package) -> dict[int | None, SynthesisText]:
    """The package's saved synthesis texts by objective number (None: the executive summary)."""
    texts = SynthesisText.objects.filter(package=package).select_related("objective", "updated_by")
    return {(text.objective.number if text.objective_id else None): text for text in texts}


def synthesis_reviews(package: Package, *, objective_number: int | None) -> list[Review]:
    """The approved reviews the package takes in, each with its report on the objective (in
    `objective_reports_for`, empty when it did not report on it), for the writer to read side by side."""
    reports = ObjectiveReport.objects.filter(objective__number=objective_number or 0).select_related("objective")
    return list(
        package_reviews(package)
        .select_related("mechanism")
        .prefetch_related(Prefetch("objective_reports", queryset=reports, to_attr="objective_reports_for"))
    )


def synthesis_overview(package: Package) -> dict:
    """How far IOM's synthesis is, for the package page: two queries."""
    written = list(
        SynthesisText.objects.filter(package=package)
        .annotate(trimmed=Trim("text"))
        .exclude(trimmed="")
        .values_list("objective__number", flat=True)
    )
    open_comments = SynthesisComment.objects.filter(
        package=package, parent__isnull=True, resolved_at__isnull=True
    ).count()
    return {
        "summary": None in written,
        "objectives": sorted(number for number in written if number is not None),
        "open_comments": open_comments,
        "final": package.synthesis_final_at is not None,
    }


def synthesis_versions(package: Package) -> QuerySet[SynthesisVersion]:
    return SynthesisVersion.objects.filter(package=package).select_related("created_by").order_by("-number")


def synthesis_comments(package: Package) -> QuerySet[SynthesisComment]:
    return SynthesisComment.objects.filter(package=package)
