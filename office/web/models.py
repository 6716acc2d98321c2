from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DisplayPreference(models.Model):
    """How one person wants the portal shown: the age-friendly mode (长辈模式) for now. Remembered
    here, mirrored in the session so the first paint of every page is already right."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="display_preference"
    )
    large_text = models.BooleanField(_("长辈模式（大字）"), default=False)
    # None: the default of the person's roles (on for the director and the duty room, see
    # office.notifications.alarms.alarm_signals_for); True/False: the person's own choice.
    alarm_signals = models.BooleanField(_("警报提示音和桌面通知"), null=True, blank=True, default=None)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("显示偏好")
        verbose_name_plural = _("显示偏好")

    def __str__(self) -> str:
        return f"{self.user} large_text={self.large_text}"
