from django.urls import path

from . import views

app_name = "pledges"
urlpatterns = [
    path("", views.pledge_list, name="list"),
]
