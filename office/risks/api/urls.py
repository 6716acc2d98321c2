from django.urls import path

from .views import RiskListApi

urlpatterns = [
    path("", RiskListApi.as_view(), name="risks-api-list"),
]
