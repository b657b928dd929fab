from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("landing/", views.landing, name="landing"),
    path("lockouts/", views.lockout_list, name="lockout_list"),
    path("lockouts/<int:pk>/unlock/", views.lockout_unlock, name="lockout_unlock"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", views.api_token_revoke_view, name="api_token_revoke"),
]
