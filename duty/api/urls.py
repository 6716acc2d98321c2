from django.urls import path

from .views import ReportDetailApi, ReportListCreateApi, ReportUpdateApi

urlpatterns = [
    path("reports", ReportListCreateApi.as_view(), name="duty-api-reports"),
    path("reports/<int:pk>", ReportDetailApi.as_view(), name="duty-api-report"),
    path("reports/<int:pk>/updates", ReportUpdateApi.as_view(), name="duty-api-report-updates"),
]
