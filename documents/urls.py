from django.urls import include, path

from . import views, views_print

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("export.xlsx", views.document_export, name="export"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/docx", views.document_download, name="download"),
    path("<int:pk>/pdf", views_print.document_pdf, name="pdf"),
    path("<int:pk>/sign-off", views.document_sign_off, name="sign-off"),
    path("<int:pk>/readers", views.document_grant_read, name="grant-read"),
    path("incoming/", include("documents.incoming.urls")),
]
