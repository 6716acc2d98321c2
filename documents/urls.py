from django.urls import include, path

from . import views, views_print

app_name = "documents"
urlpatterns = [
    path("", views.documents_home, name="home"),
    path("list/", views.document_list, name="list"),
    path("new", views.draft_create, name="new"),
    path("numbers/", views.number_registers, name="numbers"),
    path("export.xlsx", views.document_export, name="export"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/docx", views.document_download, name="download"),
    path("<int:pk>/pdf", views_print.document_pdf, name="pdf"),
    path("<int:pk>/sign-off", views.document_sign_off, name="sign-off"),
    path("<int:pk>/readers", views.document_grant_read, name="grant-read"),
    path("<int:pk>/save", views.draft_save, name="save"),
    path("<int:pk>/diff", views.version_diff, name="diff"),
    path("<int:pk>/comments", views.comment_add, name="comment-add"),
    path("<int:pk>/comments/<int:comment_id>/resolve", views.comment_resolve, name="comment-resolve"),
    path("<int:pk>/chain", views.chain_configure, name="chain"),
    path("<int:pk>/submit", views.draft_submit, name="submit"),
    path("<int:pk>/steps/<int:step_id>/<slug:action>", views.step_action, name="step-action"),
    path("<int:pk>/do/<slug:action>", views.document_action, name="action"),
    path("incoming/", include("documents.incoming.urls")),
]
