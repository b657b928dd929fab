from django.urls import path

from . import views

app_name = "packages"
urlpatterns = [
    path("", views.package_list, name="list"),
    path("new/", views.package_create, name="create"),
    path("<int:pk>/", views.package_detail, name="detail"),
    path("<int:pk>/compile/", views.version_compile, name="compile"),
    path("<int:pk>/language/", views.package_language, name="language"),
    path("<int:pk>/versions/<int:number>/progress/", views.version_progress, name="version_progress"),
    path("<int:pk>/versions/<int:number>/retry/", views.version_retry, name="version_retry"),
    path("<int:pk>/versions/<int:number>/pdf/", views.version_pdf, name="version_pdf"),
    path("<int:pk>/versions/<int:number>/zip/", views.version_zip, name="version_zip"),
    path("reviews/<int:review_id>/pdf/", views.review_pdf, name="review_pdf"),
]
