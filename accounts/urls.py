from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("landing/", views.landing, name="landing"),
]
