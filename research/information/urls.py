"""信息报送."""

from django.urls import path

from . import views

app_name = "information"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new", views.report_new, name="new"),
    path("inbox", views.inbox, name="inbox"),
    path("approvals", views.approvals, name="approvals"),
    path("bulletins", views.bulletins, name="bulletins"),
    path("bulletins/<int:pk>", views.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>.docx", views.bulletin_docx, name="bulletin-docx"),
    path("bulletins/<int:pk>.pdf", views.bulletin_pdf, name="bulletin-pdf"),
    path("ranking", views.ranking, name="ranking"),
    path("ranking.xlsx", views.ranking_export, name="ranking-xlsx"),
    path("<int:pk>", views.report_detail, name="detail"),
    path("<int:pk>/edit", views.report_edit, name="edit"),
    path("<int:pk>/act", views.report_act, name="act"),
    path("<int:pk>/adopt", views.report_adopt, name="adopt"),
]
