"""After the decision: reviews due, their outcomes, reported changes, terminations."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from safetynet.determination.after import termination_views
from safetynet.determination.after import views as views_reviews

urlpatterns: list[URLPattern | URLResolver] = [
    path("reviews/", views_reviews.review_list, name="review_list"),
    path("reviews/<int:pk>/", views_reviews.review_record, name="review_record"),
    path(
        "reviews/report/<int:household_id>/",
        views_reviews.review_report,
        name="review_report",
    ),
    path(
        "reviews/terminations/<int:pk>/",
        termination_views.termination_detail,
        name="termination",
    ),
    path(
        "reviews/terminations/<int:pk>/publicity-close/",
        termination_views.termination_publicity_close,
        name="termination_publicity_close",
    ),
    path(
        "reviews/terminations/<int:pk>/confirm/",
        termination_views.termination_confirm,
        name="termination_confirm",
    ),
    path(
        "reviews/terminations/<int:pk>/decline/",
        termination_views.termination_decline,
        name="termination_decline",
    ),
    path(
        "reviews/terminations/<int:pk>/complete/",
        termination_views.termination_complete,
        name="termination_complete",
    ),
    path(
        "reviews/terminations/<int:pk>/notice.pdf",
        termination_views.termination_notice,
        name="termination_notice",
    ),
]
