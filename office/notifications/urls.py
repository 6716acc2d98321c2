from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("badge/", views.badge, name="badge"),
    path("live/", views.live, name="live"),
    path("alarm-signals/", views.alarm_signals, name="alarm-signals"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("read-all/", views.mark_all_read, name="mark-all-read"),
    path("preferences/", views.preferences, name="preferences"),
    path("<int:pk>/open/", views.open_notification, name="open"),
    path("<int:pk>/read/", views.mark_read, name="mark-read"),
]
