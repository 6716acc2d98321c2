from django.urls import path

from .views import RankingApi, ReportDetailApi, ReportListCreateApi

urlpatterns = [
    path("reports", ReportListCreateApi.as_view(), name="information-api-reports"),
    path("reports/<int:pk>", ReportDetailApi.as_view(), name="information-api-report"),
    path("ranking", RankingApi.as_view(), name="information-api-ranking"),
]
