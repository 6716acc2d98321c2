from django.contrib.auth import views as auth_views
from django.urls import path

from . import audit_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("audit/", audit_views.audit_list, name="audit-list"),
    path("preferences/display/", views.display_preference, name="display-preference"),
    path("audit/access-log/", views.access_log_list, name="access-log"),
]
