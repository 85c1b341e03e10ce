"""Document downloads of the determination procedure (notices, publicity lists, archives),
included by ``determination/urls.py`` at /determination/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from safetynet.determination.documents import views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<int:pk>/notices/<slug:kind>.pdf", views.notice_download, name="notice_pdf"),
    path("cases/<int:pk>/archive.zip", views.archive_download, name="case_archive"),
    path("notices/batch.pdf", views.notices_batch, name="notices_batch"),
    path(
        "reviews/<int:review_pk>/notice.pdf", views.review_notice_download, name="review_notice_pdf"
    ),
    path("publicity/", views.publicity_list, name="publicity_list"),
    path("archives/verify/", views.archive_verify, name="archive_verify"),
]
