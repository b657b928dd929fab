"""Site-wide pages: home, health check, authentication, landing, administration."""

from . import LOGIN, REDIRECT, Case, everyone, expect, logged_in

CASES = [
    Case("home", everyone(200)),
    Case("healthz", everyone(200)),
    Case("login", expect(REDIRECT, anonymous=200)),
    Case("logout", everyone(405)),
    Case("logout", expect(REDIRECT), method="POST"),
    Case("password_change", logged_in(200)),
    Case("password_change_done", logged_in(200)),
    Case("accounts:landing", logged_in(REDIRECT)),
    # Locked-out logins (django-axes): IOM staff and administrators unlock them.
    Case("accounts:lockout_list", expect(403, anonymous=LOGIN, iom=200, admin=200)),
    Case("accounts:lockout_unlock", everyone(405), lambda w: {"pk": 1}),
    Case(
        "accounts:lockout_unlock",
        expect(403, anonymous=LOGIN, iom=REDIRECT, admin=REDIRECT),
        lambda w: {"pk": 1},
        method="POST",
    ),
    # The header's language switcher: a POST for everyone, answered by a redirect back to the page.
    Case("set_language", everyone(405)),
    Case("set_language", everyone(REDIRECT), method="POST", data={"language": "fr", "next": "/"}),
    # Django's admin sends everyone who is not staff to its own login page.
    Case("admin:index", expect(REDIRECT, admin=200)),
]
