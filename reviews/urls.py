from django.urls import include, path

from . import views

app_name = "reviews"
urlpatterns = [
    path("", views.my_reviews, name="my_reviews"),
    path("cycles/", views.cycle_list, name="cycle_list"),
    path("cycles/new/", views.cycle_create, name="cycle_create"),
    path("cycles/<slug:slug>/edit/", views.cycle_edit, name="cycle_edit"),
    path("start/<slug:cycle>/<slug:mechanism>/", views.review_start, name="review_start"),
    path("<int:pk>/", views.review_detail, name="review_detail"),
    path("<int:pk>/overview/", views.review_edit_overview, name="review_edit_overview"),
    path("<int:pk>/objectives/<int:number>/", views.review_edit_objective, name="review_edit_objective"),
    path("<int:pk>/attachments/", views.review_attachments, name="review_attachments"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
    path("<int:pk>/attachments/<int:attachment_pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("<int:pk>/copied/<str:part>/checked/", views.copied_part_confirm, name="copied_part_confirm"),
    path("<int:pk>/check/", views.review_check, name="review_check"),
    path("", include("reviews.urls_workflow")),
    path("", include("reviews.urls_word")),
]
