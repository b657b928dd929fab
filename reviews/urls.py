from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("", views.my_reviews, name="my_reviews"),
    path("iom/", views.iom_dashboard, name="iom_dashboard"),
]
