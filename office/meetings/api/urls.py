from django.urls import path

from .views import NoticeDetailApi, NoticeListApi, ReceiptAnswerApi, SignInStatusApi

urlpatterns = [
    path("notices", NoticeListApi.as_view(), name="meetings-api-notices"),
    path("notices/<int:pk>", NoticeDetailApi.as_view(), name="meetings-api-notice"),
    path("notices/<int:pk>/sign-ins", SignInStatusApi.as_view(), name="meetings-api-sign-ins"),
    path("receipts/<int:pk>", ReceiptAnswerApi.as_view(), name="meetings-api-receipt"),
]
