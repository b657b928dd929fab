"""The directory of mechanisms and States (mechanisms app)."""

from . import LOGIN, Case, everyone, expect

BALI = {"slug": "bali-process"}
# Who edits a mechanism's profile: its secretariat, IOM and administrators; memberships: IOM only.
EDITORS = expect(403, anonymous=LOGIN, own_secretariat=200, iom=200, admin=200)
IOM_ONLY = expect(403, anonymous=LOGIN, iom=200, admin=200)

CASES = [
    Case("mechanisms:directory", everyone(200)),
    Case("mechanisms:directory_export", everyone(200), lambda w: {"fmt": "csv"}, label="csv"),
    Case("mechanisms:directory_export", everyone(200), lambda w: {"fmt": "json"}, label="json"),
    Case("mechanisms:directory_export", everyone(404), lambda w: {"fmt": "exe"}, label="unknown"),
    Case("mechanisms:overview", everyone(200)),
    Case("mechanisms:mechanism_detail", everyone(200), lambda w: BALI),
    Case("mechanisms:mechanism_detail", everyone(404), lambda w: {"slug": "no-such"}, label="unknown"),
    Case("mechanisms:mechanism_edit", EDITORS, lambda w: BALI),
    Case("mechanisms:mechanism_edit", expect(404, anonymous=404), lambda w: {"slug": "no-such"}, label="unknown"),
    Case("mechanisms:mechanism_memberships", IOM_ONLY, lambda w: BALI),
    Case("mechanisms:mechanism_history", EDITORS, lambda w: BALI),
    Case("mechanisms:mechanism_members_export", everyone(200), lambda w: {**BALI, "fmt": "csv"}),
    Case("mechanisms:state_detail", everyone(200), lambda w: {"iso3": "IDN"}),
    Case("mechanisms:state_detail", everyone(404), lambda w: {"iso3": "XXX"}, label="unknown"),
]
