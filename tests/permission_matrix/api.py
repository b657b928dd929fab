"""The JSON API (iscm_portal/api/ and each app's api.py). An object the caller may not read is not found (404)
for everyone, signed in or not: the API never redirects to the login page."""

from . import Case, everyone, expect

BALI = {"slug": "bali-process"}
# A draft is its secretariat's (and administrators'); a submitted review is also IOM's and the focal points'
# of the mechanism's States (the matrix's focal point is Indonesia's, a Bali Process Member).
DRAFT_READERS = expect(404, own_secretariat=200, admin=200)
SUBMITTED_READERS = expect(404, focal_point=200, own_secretariat=200, iom=200, admin=200)


# The reviews are those tests/permission_matrix/reviews.py arranges (Bali Process: approved, submitted, draft).
def _review(attribute):
    return lambda w: {"pk": getattr(w, attribute).pk}


def _objective(attribute, number=6):
    return lambda w: {"pk": getattr(w, attribute).pk, "number": number}


CASES = [
    Case("api:schema", everyone(200)),
    Case("api:docs", everyone(200)),
    Case("api:mechanism-list", everyone(200)),
    Case("api:mechanism-detail", everyone(200), lambda w: BALI),
    Case("api:mechanism-detail", everyone(404), lambda w: {"slug": "no-such"}, label="unknown"),
    Case("api:state-list", everyone(200)),
    Case("api:state-detail", everyone(200), lambda w: {"iso3": "IDN"}),
    Case("api:state-detail", everyone(404), lambda w: {"iso3": "XXX"}, label="unknown"),
    Case("api:cycle-list", everyone(200)),
    Case("api:cycle-detail", everyone(200), lambda w: {"slug": w.new_cycle.slug}),
    Case("api:cycle-detail", everyone(404), lambda w: {"slug": "no-such"}, label="unknown"),
    Case("api:review-list", everyone(200)),
    Case("api:review-detail", everyone(200), _review("bali_approved"), label="approved"),
    Case("api:review-detail", SUBMITTED_READERS, _review("bali_submitted"), label="submitted"),
    Case("api:review-detail", DRAFT_READERS, _review("bali_draft"), label="draft"),
    Case("api:review-detail", everyone(404), lambda w: {"pk": 987654}, label="unknown"),
    Case("api:review-objective", everyone(200), _objective("bali_approved"), label="approved"),
    Case("api:review-objective", SUBMITTED_READERS, _objective("bali_submitted"), label="submitted"),
    Case("api:review-objective", DRAFT_READERS, _objective("bali_draft"), label="draft"),
    Case(
        "api:review-objective",
        everyone(404),
        _objective("bali_approved", 24),
        label="unknown",
    ),
    Case("api:library-practice-list", everyone(200)),
    Case("api:library-review-list", everyone(200)),
    Case("api:library-pledge-list", everyone(200)),
    # Library entries: those tests/permission_matrix/library.py arranges.
    Case("api:library-practice-detail", everyone(200), lambda w: {"pk": w.approved_practice.pk}, label="approved"),
    Case(
        "api:library-practice-detail",
        SUBMITTED_READERS,
        lambda w: {"pk": w.submitted_practice.pk},
        label="submitted",
    ),
    # Reading endpoints refuse writes whoever asks.
    Case("api:mechanism-list", everyone(405), method="POST", label="read only"),
]
