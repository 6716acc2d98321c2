from django.urls import path

from . import views

urlpatterns = [
    path("items", views.ItemListApi.as_view(), name="supervision-api-items"),
    path("items/<int:pk>", views.ItemDetailApi.as_view(), name="supervision-api-item"),
    path(
        "items/<int:pk>/acknowledge", views.ItemAcknowledgeApi.as_view(), name="supervision-api-acknowledge"
    ),
    path("items/<int:pk>/feedback", views.ItemFeedbackApi.as_view(), name="supervision-api-feedback"),
    path("items/<int:pk>/extensions", views.ItemExtensionApi.as_view(), name="supervision-api-extension"),
    path("documents", views.DocumentListApi.as_view(), name="supervision-api-documents"),
    path("documents/<int:pk>/docx", views.DocumentDocxApi.as_view(), name="supervision-api-document-docx"),
]
