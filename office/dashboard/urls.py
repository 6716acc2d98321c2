from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="home"),
    path("live/", views.dashboard_live, name="live"),
    path("my-work/", views.my_work, name="my-work"),
    path("my-work/live/", views.my_work_live, name="my-work-live"),
    path("briefing/", views.briefing, name="briefing"),
    path("briefing.docx", views.briefing_docx, name="briefing-docx"),
    path("briefing.pdf", views.briefing_pdf, name="briefing-pdf"),
]
