from django.urls import path

from . import views

app_name = "clock"
urlpatterns = [
    path("", views.clock_status, name="status"),
    path("timers/<int:timer_id>/retry/", views.timer_retry, name="timer-retry"),
]
