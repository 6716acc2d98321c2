"""Days the statutory calendar package does not know, or that the office decides differently."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkdayOverride(models.Model):
    """An admin's word on one date: it wins over chinesecalendar and over the weekday rule."""

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(
        _("工作日"), help_text=_("勾选表示当天上班（如调休上班日）；不勾选表示当天放假。")
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["-date"]

    def __str__(self):
        return "{:%Y-%m-%d} {}".format(self.date, _("上班") if self.is_working_day else _("放假"))
