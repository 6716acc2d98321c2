"""岗位风险排查."""

from django.urls import path

from . import views

app_name = "risks"
urlpatterns = [
    path("", views.register, name="register"),
    path("<int:pk>/", views.risk_detail, name="risk"),
    path("<int:pk>/edit", views.risk_edit, name="risk-edit"),
    path("posts/", views.post_list, name="posts"),
    path("posts/new", views.post_new, name="post-new"),
    path("posts/<int:pk>/edit", views.post_edit, name="post-edit"),
    path("posts/<int:post_pk>/risks/new", views.risk_new, name="risk-new"),
    path("incidents/<int:pk>/assign", views.incident_assign, name="incident-assign"),
    path("heatmap/", views.heatmap, name="heatmap"),
    path("failed/", views.failed, name="failed"),
    path("reviews/", views.my_reviews, name="my-reviews"),
    path("reviews/approvals/", views.approvals, name="approvals"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
    path("reviews/<int:pk>/submit", views.review_submit, name="review-submit"),
    path("reviews/<int:pk>/decide", views.review_decide, name="review-decide"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new", views.campaign_open, name="campaign-new"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/close", views.campaign_close, name="campaign-close"),
]
