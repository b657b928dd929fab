from django.urls import path

from . import views

app_name = "mechanisms"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("export.<str:fmt>", views.directory_export, name="directory_export"),
    path("overview/", views.overview, name="overview"),
    path("mechanisms/<slug:slug>/", views.mechanism_detail, name="mechanism_detail"),
    path("mechanisms/<slug:slug>/edit/", views.mechanism_edit, name="mechanism_edit"),
    path("mechanisms/<slug:slug>/memberships/", views.mechanism_memberships, name="mechanism_memberships"),
    path("mechanisms/<slug:slug>/history/", views.mechanism_history, name="mechanism_history"),
    path(
        "mechanisms/<slug:slug>/membership.<str:fmt>", views.mechanism_members_export, name="mechanism_members_export"
    ),
    path("states/<str:iso3>/", views.state_detail, name="state_detail"),
]
