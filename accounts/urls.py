from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("landing/", views.landing, name="landing"),
    path("lockouts/", views.lockout_list, name="lockout_list"),
    path("lockouts/<int:pk>/unlock/", views.lockout_unlock, name="lockout_unlock"),
]
