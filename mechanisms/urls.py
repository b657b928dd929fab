from django.urls import path

from . import views

app_name = "mechanisms"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("mechanisms/<slug:slug>/", views.mechanism_detail, name="mechanism_detail"),
    path("states/<str:iso3>/", views.state_detail, name="state_detail"),
]
