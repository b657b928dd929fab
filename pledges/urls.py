from django.urls import path

from . import views

app_name = "pledges"
urlpatterns = [
    path("", views.pledge_list, name="list"),
    path("dashboard/", views.pledge_dashboard, name="dashboard"),
    path("new/", views.pledge_create, name="create"),
    path("export.<str:fmt>", views.pledge_export, name="export"),
    path("import/", views.pledge_import, name="import"),
    path("import/confirm/", views.pledge_import_confirm, name="import_confirm"),
    path("<int:pk>/", views.pledge_detail, name="detail"),
    path("<int:pk>/edit/", views.pledge_edit, name="edit"),
    path("<int:pk>/updates/", views.pledge_progress_add, name="progress_add"),
    path("<int:pk>/publish/", views.pledge_publish, name="publish"),
]
