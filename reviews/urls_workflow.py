"""URLs of the review workflow (issue 5); included into the `reviews` namespace by reviews/urls.py."""

from django.urls import path

from . import views_workflow as views

urlpatterns = [
    path("<int:pk>/workflow/", views.review_workflow, name="review_workflow"),
    path("<int:pk>/transition/<slug:action>/", views.review_transition_view, name="review_transition"),
    path("<int:pk>/comments/", views.comment_add_view, name="comment_add"),
    path("comments/<int:comment_pk>/reply/", views.comment_reply_view, name="comment_reply"),
    path("comments/<int:comment_pk>/resolve/", views.comment_resolve_view, name="comment_resolve"),
    path("<int:pk>/compare/", views.review_compare, name="review_compare"),
    path("iom/", views.iom_dashboard, name="iom_dashboard"),
    path("focal-point/", views.focal_point_dashboard, name="focal_point_dashboard"),
]
