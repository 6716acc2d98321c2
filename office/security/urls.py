from django.urls import path

from . import views

app_name = "security"

urlpatterns = [
    path("otp/", views.otp_step, name="otp"),
    path("otp/setup/", views.otp_setup, name="otp-setup"),
    path("password/", views.password_change, name="password"),
    path("log/", views.log_page, name="log"),
    path("log/export.csv", views.log_export, name="log-export"),
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/<int:pk>/", views.account, name="account"),
    path("accounts/<int:pk>/otp-reset", views.otp_reset, name="otp-reset"),
]
