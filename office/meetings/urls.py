from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("new/", views.meeting_create, name="create"),
    path("rooms/", views.rooms, name="rooms"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/cancel", views.meeting_cancel, name="cancel"),
    path("<int:pk>/notice", views.notice_send, name="notice"),
    path("<int:pk>/sign-in/", views.sign_in, name="sign-in"),
    path("<int:pk>/desk", views.desk_sign_in, name="desk"),
    path("<int:pk>/qr/", views.qr, name="qr"),
    path("<int:pk>/door/", views.door, name="door"),
    path("<int:pk>/incidents", views.incident_record, name="incident"),
    path("<int:pk>/decisions", views.decision_add, name="decision-add"),
    path("<int:pk>/minutes", views.minutes_draft, name="minutes"),
    path("<int:pk>/seating/", views.seating, name="seating"),
    path("<int:pk>/seating/generate", views.seating_generate, name="seating-generate"),
    path("<int:pk>/seating/swap", views.seating_swap, name="seating-swap"),
    path("<int:pk>/seating.docx", views.seating_docx, name="seating-docx"),
    path("<int:pk>/seating.pdf", views.seating_pdf, name="seating-pdf"),
    path("receipts/<int:pk>/", views.receipt_answer, name="receipt"),
    path("items/<int:pk>/done", views.item_done, name="item-done"),
    path("items/<int:pk>/devices", views.item_devices, name="item-devices"),
    path("decisions/<int:pk>/to-supervision", views.decision_to_supervision, name="decision-supervision"),
]
