"""领导驾驶舱: the dashboard itself keeps no data of the apps; only the record of each weekly briefing
sent (one row per week, so the Monday task can run twice and send once)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WeeklyBriefing(models.Model):
    week_start = models.DateField(_("周一日期"), unique=True, help_text=_("简报所述“本周”的周一。"))
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("送达人数"), default=0)

    class Meta:
        verbose_name = _("每周工作简报")
        verbose_name_plural = _("每周工作简报")
        ordering = ["-week_start"]

    def __str__(self):
        return str(_("每周工作简报（%(date)s 周）") % {"date": self.week_start.isoformat()})

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("dashboard:briefing") + f"?week={self.week_start.isoformat()}"
