from django.urls import path

from .views import (
    CampaignDetailApi,
    CampaignItemsApi,
    CampaignListApi,
    SubmissionDetailApi,
    SubmissionReplyApi,
)

urlpatterns = [
    path("campaigns", CampaignListApi.as_view(), name="suggestions-api-campaigns"),
    path("campaigns/<int:pk>", CampaignDetailApi.as_view(), name="suggestions-api-campaign"),
    path("campaigns/<int:pk>/items", CampaignItemsApi.as_view(), name="suggestions-api-items"),
    path("items/<int:pk>", SubmissionDetailApi.as_view(), name="suggestions-api-item"),
    path("items/<int:pk>/reply", SubmissionReplyApi.as_view(), name="suggestions-api-reply"),
]
