from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("new/", views.item_create, name="create"),
    path("export.xlsx", views.item_export, name="export"),
    path("import/", views.item_import, name="import"),
    path("stats/", views.stats, name="stats"),
    path("<int:pk>/", views.item_detail, name="detail"),
    path("<int:pk>/edit", views.item_edit, name="edit"),
    path("<int:pk>/issue", views.item_issue, name="issue"),
    path("<int:pk>/acknowledge", views.item_acknowledge, name="acknowledge"),
    path("<int:pk>/feedback", views.item_feedback, name="feedback"),
    path("<int:pk>/feedback/<int:fb_pk>/review", views.feedback_review, name="feedback-review"),
    path("<int:pk>/close", views.item_close, name="close"),
    path("<int:pk>/send-back", views.item_send_back, name="send-back"),
    path("<int:pk>/cancel", views.item_cancel, name="cancel"),
    path("<int:pk>/extension", views.item_extension, name="extension"),
    path("<int:pk>/extension/<int:ext_pk>/decide", views.extension_decide, name="extension-decide"),
    path("<int:pk>/milestones", views.item_milestone, name="milestone"),
    path(
        "<int:pk>/milestones/<int:ms_pk>/reschedule",
        views.item_milestone_reschedule,
        name="milestone-reschedule",
    ),
    path("<int:pk>/visit", views.item_visit, name="visit"),
    path("<int:pk>/steps/<int:step_pk>/communication", views.step_communication, name="communication"),
]
