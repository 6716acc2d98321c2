from django.urls import path

from . import views

app_name = "suggestions"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_open, name="open"),
    path("mine/", views.my_items, name="mine"),
    path("<int:pk>/", views.campaign_detail, name="campaign"),
    path("<int:pk>/submit", views.submit, name="submit"),
    path("<int:pk>/enter", views.enter_for, name="enter"),
    path("<int:pk>/close", views.campaign_close, name="close"),
    path("<int:pk>/items/", views.item_list, name="items"),
    path("<int:pk>/summary/", views.summary, name="summary"),
    path("<int:pk>/summary.docx", views.summary_docx, name="summary-docx"),
    path("items/<int:pk>/", views.submission_detail, name="submission"),
    path("items/<int:pk>/triage", views.submission_triage, name="triage"),
    path("items/<int:pk>/merge", views.submission_merge, name="merge"),
    path("items/<int:pk>/assign", views.submission_assign, name="assign"),
    path("items/<int:pk>/reply", views.submission_reply, name="reply"),
    path("items/<int:pk>/answer", views.submission_answer, name="answer"),
    path("items/<int:pk>/to-supervision", views.submission_to_supervision, name="to-supervision"),
    path("talks/", views.talk_list, name="talks"),
    path("talks/new", views.talk_schedule, name="talk-new"),
    path("talks/<int:pk>/", views.talk_detail, name="talk"),
    path("talks/<int:pk>/respond", views.talk_respond, name="talk-respond"),
    path("talks/<int:pk>/reschedule", views.talk_reschedule, name="talk-reschedule"),
    path("talks/<int:pk>/cancel", views.talk_cancel, name="talk-cancel"),
    path("talks/<int:pk>/notes", views.talk_notes, name="talk-notes"),
    path("talks/<int:pk>/followup", views.talk_followup, name="talk-followup"),
]
