"""/api/v1/: the office's own endpoints here; each app adds its own under its prefix."""

from django.urls import include, path

from office.files.views import FileDownload

from .views import MeApi, UnitListApi

urlpatterns = [
    path("me", MeApi.as_view(), name="api-me"),
    path("units", UnitListApi.as_view(), name="api-units"),
    path("files/<str:kind>/<int:pk>", FileDownload.as_view(), name="api-file"),
    path("supervision/", include("supervision.api.urls")),
    path("duty/", include("duty.api.urls")),
    path("documents/", include("documents.api.urls")),
    path("research/", include("research.api.urls")),
    path("information/", include("research.information.api.urls")),
    path("meetings/", include("office.meetings.api.urls")),
    path("risks/", include("office.risks.api.urls")),
    path("suggestions/", include("suggestions.api.urls")),
]
