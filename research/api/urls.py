from django.urls import path

from .views import CallListApi, CallProposalApi, ProposalListApi

urlpatterns = [
    path("calls", CallListApi.as_view(), name="research-api-calls"),
    path("calls/<int:pk>/proposals", CallProposalApi.as_view(), name="research-api-propose"),
    path("proposals", ProposalListApi.as_view(), name="research-api-proposals"),
]
