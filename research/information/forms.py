"""Forms of 信息报送's pages: shape and Chinese messages; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AdoptionKind, BulletinKind, InfoType, Outlet

DT_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class ReportForm(forms.Form):
    info_type = forms.ChoiceField(
        label=_("类型"), choices=InfoType.choices, error_messages={"required": _("请选择信息类型。")}
    )
    title = forms.CharField(label=_("标题"), max_length=200, error_messages={"required": _("请填写标题。")})
    text = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("请填写正文。")},
    )
    facts_at = forms.DateTimeField(
        label=_("事实发生时间"),
        widget=DT_INPUT,
        input_formats=DT_FORMATS,
        error_messages={"required": _("请填写事实发生时间。"), "invalid": _("时间格式不正确。")},
    )
    urgent_report = forms.TypedChoiceField(
        label=_("关联本单位近期紧急信息（事实已在紧急信息中报告时选择）"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    attachments = MultipleFileField(label=_("附件（可多选）"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, urgent_reports=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["urgent_report"].choices = [("", "—")] + [
            (u.pk, f"{u.title}（{u.received_at:%m-%d %H:%M}）") for u in urgent_reports
        ]


class EditForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200, error_messages={"required": _("请填写标题。")})
    text = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": _("请填写正文。")},
    )
    note = forms.CharField(label=_("修改说明"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AdoptionForm(forms.Form):
    kind = forms.ChoiceField(label=_("采用层级或批示"), choices=AdoptionKind.choices)
    adopted_on = forms.DateField(
        label=_("日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("日期格式不正确。")},
    )
    leader = forms.CharField(label=_("批示领导（批示时填写）"), max_length=60, required=False)
    text = forms.CharField(
        label=_("说明或批示内容"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


OUTLET_CHOICES = Outlet.choices
BULLETIN_CHOICES = BulletinKind.choices
