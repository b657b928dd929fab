"""The practice library and search (library app). Rules: library/rules.py."""

from . import LOGIN, Case, everyone, expect


def arrange(world):
    from library.models import Practice
    from library.services import library_index_review
    from reviews.enums import ReviewStatus as S
    from tests.factories import ReviewCycleFactory, review_in_status

    people = {"secretariat": world.users["own_secretariat"], "iom": world.users["iom"]}
    approved = review_in_status(S.APPROVED, mechanism=world.bali, cycle=ReviewCycleFactory(review_year=2012), **people)
    submitted = review_in_status(
        S.SUBMITTED, mechanism=world.bali, cycle=ReviewCycleFactory(review_year=2016), **people
    )
    for review in (approved, submitted):
        review.objective_reports.update(good_practices="- Member States adopted a code on ethical recruitment.")
        library_index_review(review=review)
    world.approved_practice = Practice.objects.filter(review=approved).first()
    world.submitted_practice = Practice.objects.filter(review=submitted).first()


CASES = [
    Case("library:practice_list", everyone(200)),
    Case("library:search", everyone(200)),
    Case("library:objective_list", everyone(200)),
    Case("library:objective_compare", everyone(200), lambda w: {"number": 6}),
    Case("library:objective_compare", everyone(404), lambda w: {"number": 24}, label="unknown"),
    Case("library:practice_detail", everyone(200), lambda w: {"pk": w.approved_practice.pk}, label="approved"),
    # From a submitted review: whoever may read the review (its secretariat, IOM, administrators and the
    # focal points of its Member States; the matrix's focal point is Indonesia's, a Bali Process Member).
    Case(
        "library:practice_detail",
        expect(403, anonymous=LOGIN, focal_point=200, own_secretariat=200, iom=200, admin=200),
        lambda w: {"pk": w.submitted_practice.pk},
        label="submitted",
    ),
    Case("library:practice_detail", everyone(404), lambda w: {"pk": 987654}, label="unknown"),
]
