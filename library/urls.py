from django.urls import path

from . import views

app_name = "library"
urlpatterns = [
    path("", views.practice_list, name="practice_list"),
    path("search/", views.search, name="search"),
    path("practices/<int:pk>/", views.practice_detail, name="practice_detail"),
    path("objectives/", views.objective_list, name="objective_list"),
    path("objectives/<int:number>/compare/", views.objective_compare, name="objective_compare"),
]
