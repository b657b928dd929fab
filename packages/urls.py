from django.urls import path

from . import views, views_synthesis

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
    path("<int:pk>/versions/<int:number>/docx/", views.version_docx, name="version_docx"),
    path("reviews/<int:review_id>/pdf/", views.review_pdf, name="review_pdf"),
    path("<int:pk>/synthesis/", views_synthesis.synthesis_summary, name="synthesis"),
    path(
        "<int:pk>/synthesis/objectives/<int:number>/", views_synthesis.synthesis_objective, name="synthesis_objective"
    ),
    path("<int:pk>/synthesis/final/", views_synthesis.synthesis_final, name="synthesis_final"),
    path("<int:pk>/synthesis/history/", views_synthesis.synthesis_history, name="synthesis_history"),
    path("<int:pk>/synthesis/history/<int:number>/", views_synthesis.synthesis_version, name="synthesis_version"),
    path("<int:pk>/synthesis/comments/", views_synthesis.synthesis_comment_add, name="synthesis_comment_add"),
    path(
        "synthesis-comments/<int:comment_pk>/reply/",
        views_synthesis.synthesis_comment_reply,
        name="synthesis_comment_reply",
    ),
    path(
        "synthesis-comments/<int:comment_pk>/resolve/",
        views_synthesis.synthesis_comment_resolve,
        name="synthesis_comment_resolve",
    ),
]
