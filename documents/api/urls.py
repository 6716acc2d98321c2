from django.urls import include, path

from .views import OutgoingAcknowledgeApi, OutgoingDetailApi, OutgoingListApi

urlpatterns: list = [
    path("outgoing", OutgoingListApi.as_view(), name="documents-api-outgoing"),
    path("outgoing/<int:pk>", OutgoingDetailApi.as_view(), name="documents-api-outgoing-detail"),
    path(
        "outgoing/<int:pk>/acknowledge",
        OutgoingAcknowledgeApi.as_view(),
        name="documents-api-outgoing-acknowledge",
    ),
]

# 收文: other offices send the office documents and follow their status (documents.incoming.api)
urlpatterns += [path("", include("documents.incoming.api"))]
