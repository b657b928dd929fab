"""IMRF pledges (pledges app). "Own" pledges: Indonesia's (its focal point) and the Bali Process's (its
secretariat); Ghana's unpublished pledge is another State's for the Indonesian focal point."""

from . import LOGIN, REDIRECT, Case, everyone, expect


def arrange(world):
    from mechanisms.models import State
    from pledges.enums import PledgerType
    from tests.factories import PledgeFactory

    world.state_unpublished = PledgeFactory(is_published=False)
    world.other_state_unpublished = PledgeFactory(is_published=False, pledger_state=State.objects.get(iso3="GHA"))
    world.mechanism_published = PledgeFactory(
        pledger_type=PledgerType.ISCM, pledger_state=None, pledger_mechanism=world.bali, is_published=True
    )


def _pk(attribute):
    return lambda w: {"pk": getattr(w, attribute).pk}


IOM_ONLY = expect(403, anonymous=LOGIN, iom=200, admin=200)
# Reading or editing an unpublished State pledge: the State's focal point, IOM and administrators.
STATE_OWN = expect(403, anonymous=LOGIN, focal_point=200, iom=200, admin=200)
STATE_OTHER = expect(403, anonymous=LOGIN, iom=200, admin=200)
# A progress update posted empty: those allowed get the form back with its errors (400).
UPDATE_STATE = expect(403, anonymous=LOGIN, focal_point=400, iom=400, admin=400)
UPDATE_MECHANISM = expect(403, anonymous=LOGIN, own_secretariat=400, iom=400, admin=400)
# Publishing or withdrawing: IOM and administrators only, never the pledge's own State or mechanism.
PUBLISH = expect(403, anonymous=LOGIN, iom=REDIRECT, admin=REDIRECT)

CASES = [
    Case("pledges:list", everyone(200)),
    Case("pledges:dashboard", everyone(200)),
    Case("pledges:export", everyone(200), lambda w: {"fmt": "csv"}, label="csv"),
    Case("pledges:export", everyone(200), lambda w: {"fmt": "xlsx"}, label="xlsx"),
    Case("pledges:create", expect(200, anonymous=LOGIN)),
    Case("pledges:detail", STATE_OWN, _pk("state_unpublished"), label="own State, unpublished"),
    Case("pledges:detail", STATE_OTHER, _pk("other_state_unpublished"), label="other State, unpublished"),
    Case("pledges:detail", everyone(200), _pk("mechanism_published"), label="published"),
    Case("pledges:detail", everyone(404), lambda w: {"pk": 987654}, label="unknown"),
    Case("pledges:edit", STATE_OWN, _pk("state_unpublished"), label="own State"),
    Case("pledges:edit", STATE_OTHER, _pk("other_state_unpublished"), label="other State"),
    Case(
        "pledges:edit",
        expect(403, anonymous=LOGIN, own_secretariat=200, iom=200, admin=200),
        _pk("mechanism_published"),
        label="mechanism",
    ),
    Case("pledges:progress_add", UPDATE_STATE, _pk("state_unpublished"), method="POST", label="own State"),
    Case("pledges:progress_add", UPDATE_MECHANISM, _pk("mechanism_published"), method="POST", label="mechanism"),
    Case("pledges:publish", PUBLISH, _pk("state_unpublished"), method="POST", label="own State"),
    Case("pledges:publish", PUBLISH, _pk("other_state_unpublished"), method="POST", label="other State"),
    Case("pledges:publish", PUBLISH, _pk("mechanism_published"), method="POST", label="mechanism"),
    Case("pledges:publish", everyone(404), lambda w: {"pk": 987654}, method="POST", label="unknown"),
    Case("pledges:import", IOM_ONLY),
    # Without a preview in the session IOM is sent back to the upload form.
    Case("pledges:import_confirm", expect(403, anonymous=LOGIN, iom=REDIRECT, admin=REDIRECT), method="POST"),
    # The JSON API (pledges/api.py): a pledge the caller may not read is not found (404), also for a write; a
    # write is 401 for anonymous callers, 403 without the rule, and 400 (nothing posted) for those allowed.
    Case("api:pledge-list", everyone(200)),
    Case("api:pledge-dashboard", everyone(200)),
    Case("api:pledge-detail", everyone(200), _pk("mechanism_published"), label="published"),
    Case("api:pledge-detail", expect(404, focal_point=200, iom=200, admin=200), _pk("state_unpublished"), label="own"),
    Case("api:pledge-detail", expect(404, iom=200, admin=200), _pk("other_state_unpublished"), label="other State"),
    Case("api:pledge-detail", everyone(404), lambda w: {"pk": 987654}, label="unknown"),
    Case("api:pledge-progress-add", everyone(405), _pk("mechanism_published")),
    Case(
        "api:pledge-progress-add",
        expect(404, focal_point=400, iom=400, admin=400),
        _pk("state_unpublished"),
        method="POST",
        label="own State",
    ),
    Case(
        "api:pledge-progress-add",
        expect(403, anonymous=401, own_secretariat=400, iom=400, admin=400),
        _pk("mechanism_published"),
        method="POST",
        label="mechanism",
    ),
    Case("api:pledge-import", everyone(405)),
    Case("api:pledge-import", expect(403, anonymous=401, iom=400, admin=400), method="POST"),
]
