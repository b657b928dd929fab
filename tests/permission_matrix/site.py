"""Site-wide pages: home, health check, authentication, landing, administration."""

from . import REDIRECT, Case, everyone, expect, logged_in

CASES = [
    Case("home", everyone(200)),
    Case("healthz", everyone(200)),
    Case("login", expect(REDIRECT, anonymous=200)),
    Case("logout", everyone(405)),
    Case("logout", expect(REDIRECT), method="POST"),
    Case("password_change", logged_in(200)),
    Case("password_change_done", logged_in(200)),
    Case("accounts:landing", logged_in(REDIRECT)),
    # Django's admin sends everyone who is not staff to its own login page.
    Case("admin:index", expect(REDIRECT, admin=200)),
]
