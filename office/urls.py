from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from office.clock import views as clock_views
from office.files.views import FileDownload
from office.web import views as web_views

admin.site.site_header = _("市委办公室业务系统管理")
admin.site.site_title = _("市委办公室业务系统")
admin.site.index_title = _("系统管理")

urlpatterns = [
    path("healthz", web_views.healthz, name="healthz"),
    path("readyz", web_views.readyz, name="readyz"),
    path("metrics", clock_views.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("office.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI: its script served as a file of its own (the split view), its small <style> allowed here only
    path(
        "api/docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("files/<str:kind>/<int:pk>", FileDownload.as_view(), name="file-download"),
    path("", include("office.web.urls")),
    path("clock/", include("office.clock.urls")),
    path("notifications/", include("office.notifications.urls")),
    path("supervision/", include("supervision.urls")),
    path("duty/", include("duty.urls")),
    path("documents/", include("documents.urls")),
    path("research/", include("research.urls")),
    path("information/", include("research.information.urls")),
    path("meetings/", include("office.meetings.urls")),
    path("risks/", include("office.risks.urls")),
    path("dashboard/", include("office.dashboard.urls")),
    path("suggestions/", include("suggestions.urls")),
    path("security/", include("office.security.urls")),
]
