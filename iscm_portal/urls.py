from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views

from . import views

# The database's outage page when a 500 came from a lost connection (in a middleware, say), else Django's.
handler500 = "iscm_portal.database_outage.server_error"
# Addresses under /api/ that no endpoint claims answer with a problem document, the others with Django's page.
handler404 = "iscm_portal.api.problems.page_not_found"
# Requests Django refuses itself (an unknown Host, a malformed request) likewise: a problem document under /api/.
handler400 = "iscm_portal.api.problems.bad_request"

# Not language-prefixed: sign-in and account pages, the switcher, the health check and the admin answer in
# the visitor's language (cookie, then browser) at one address.
urlpatterns = [
    # The JSON API and its documentation: one address whatever the language (iscm_portal/api/). First, so an
    # API call is not tried against the other addresses before its own (no other address starts with api/).
    path("api/", include("iscm_portal.api.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
]

# The portal's pages have an address per language, English unprefixed (`/directory/`, `/fr/directory/`,
# `/es/directory/`), so a shared link opens in the language it was shared in.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("directory/", include("mechanisms.urls")),
    path("reviews/", include("reviews.urls")),
    path("pledges/", include("pledges.urls")),
    path("library/", include("library.urls")),
    path("packages/", include("packages.urls")),
    prefix_default_language=False,
)
