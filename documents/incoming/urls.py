"""/documents/incoming/: the register, the sign-for form, a document's page and its actions
(included by documents/urls.py, so the names are ``documents:incoming-…``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.incoming_list, name="incoming-list"),
    path("new", views.incoming_create, name="incoming-create"),
    path("<int:pk>/", views.incoming_detail, name="incoming-detail"),
    path("<int:pk>/<str:action>", views.incoming_action, name="incoming-action"),
]
