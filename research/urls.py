from django.urls import path

from . import views

app_name = "research"
urlpatterns = [
    path("", views.home, name="home"),
    path("calls/new", views.call_new, name="call-new"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/propose", views.propose, name="propose"),
    path("calls/<int:pk>/close", views.call_close, name="call-close"),
    path("proposals/<int:pk>/decline", views.proposal_decline, name="proposal-decline"),
    path("plans/new", views.plan_new, name="plan-new"),
    path("plans/<int:year>/", views.plan_detail, name="plan"),
    path("plans/<int:year>/topics/new", views.plan_topic_add, name="topic-new"),
    path("plans/<int:year>/submit", views.plan_submit, name="plan-submit"),
    path("plans/<int:year>/approve", views.plan_approve, name="plan-approve"),
    path("plans/<int:year>/return", views.plan_return, name="plan-return"),
    path("topics/", views.topic_list, name="topics"),
    path("topics/<int:pk>/", views.topic_detail, name="topic"),
    path("topics/<int:pk>/records", views.record_add, name="record-add"),
    path("topics/<int:pk>/outputs", views.output_add, name="output-add"),
    path("topics/<int:pk>/finish", views.topic_finish, name="topic-finish"),
    path("milestones/<int:pk>/done", views.milestone_done, name="milestone-done"),
    path("outputs/<int:pk>/evaluate", views.output_evaluate, name="output-evaluate"),
    path("outputs/<int:pk>/adoptions", views.adoption_add, name="adoption-add"),
    path("stats/", views.stats, name="stats"),
]
