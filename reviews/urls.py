from django.urls import include, path

from . import views

app_name = "reviews"
urlpatterns = [
    path("", include("reviews.urls_workflow")),  # issue 5: first, so its iom/ replaces the placeholder
    path("", views.my_reviews, name="my_reviews"),
    path("iom/", views.iom_dashboard, name="iom_dashboard"),
]
