from django.urls import path

from .views import board, logs, reports, roster, stats

app_name = "duty"
urlpatterns = [
    path("", board.board, name="board"),
    path("board/live/", board.board_fragment, name="board-live"),
    path("reports/", reports.report_list, name="report-list"),
    path("reports/new/", reports.report_create, name="report-create"),
    path("reports/<int:pk>/", reports.report_detail, name="report-detail"),
    path("reports/<int:pk>/update/", reports.report_update, name="report-update"),
    path("reports/<int:pk>/upward/", reports.report_upward, name="report-upward"),
    path("reports/<int:pk>/level/", reports.report_level, name="report-level"),
    path("reports/<int:pk>/docx/", reports.report_docx_download, name="report-docx"),
    path("roster/", roster.roster_list, name="roster-list"),
    path("roster/<int:pk>/", roster.roster_detail, name="roster-detail"),
    path("roster/<int:pk>/publish/", roster.roster_publish, name="roster-publish"),
    path("roster/<int:pk>/export/", roster.roster_export_view, name="roster-export"),
    path("roster/<int:pk>/import/", roster.roster_import_view, name="roster-import"),
    path("shifts/<int:pk>/", logs.shift_detail, name="shift-detail"),
    path("shifts/<int:pk>/edit/", roster.shift_edit, name="shift-edit"),
    path("shifts/<int:pk>/log/", logs.log_add, name="log-add"),
    path("shifts/<int:pk>/handover/", logs.handover_write, name="handover-write"),
    path("handovers/", logs.handover_list, name="handover-list"),
    path("handovers/<int:pk>/", logs.handover_detail, name="handover-detail"),
    path("handovers/<int:pk>/acknowledge/", logs.handover_acknowledge, name="handover-acknowledge"),
    path("phone/", logs.phone_list, name="phone-list"),
    path("phone/<int:pk>/handle/", logs.phone_handle, name="phone-handle"),
    path("swaps/", roster.swap_list, name="swap-list"),
    path("swaps/propose/", roster.swap_propose, name="swap-propose"),
    path("swaps/<int:pk>/<str:action>/", roster.swap_action, name="swap-action"),
    path("stats/", stats.stats, name="stats"),
]
