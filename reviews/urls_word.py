"""URLs of the Word round trip; included into the `reviews` namespace by reviews/urls.py."""

from django.urls import path

from . import views_word as views

urlpatterns = [
    path("<int:pk>/word/", views.review_word_download, name="review_word_download"),
    path("<int:pk>/word/upload/", views.review_word_upload, name="review_word_upload"),
    path("<int:pk>/word/<uuid:token>/", views.review_word_preview, name="review_word_preview"),
    path("<int:pk>/word/<uuid:token>/file/", views.review_word_file, name="review_word_file"),
]
