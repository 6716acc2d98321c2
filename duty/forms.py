from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office.org.models import Unit

from .models import REPORT_ELEMENTS, Importance, ReportChannel, ReportKind, ReportLevel, UpdateKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _dt_widget():
    return forms.DateTimeInput(
        attrs={"type": "datetime-local", "class": "form-control form-control-sm"}, format="%Y-%m-%dT%H:%M"
    )


class StyledForm(forms.Form):
    """Bootstrap classes on every widget. ``id_prefix`` keeps the ids unique where several forms share
    a page (the report page shows three, two with a ``kind``): a label must point at one field."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.id_prefix and "auto_id" not in kwargs:
            self.auto_id = f"id_{self.id_prefix}_%s"
        self.style()

    def style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput | forms.FileInput):
                continue
            css = (
                "form-select form-select-sm"
                if isinstance(widget, forms.Select)
                else "form-control form-control-sm"
            )
            widget.attrs.setdefault("class", css)


class ElementsMixin:
    """One textarea per required element."""

    def _add_element_fields(self):
        for key, label, key_fact in REPORT_ELEMENTS:
            self.fields[f"el_{key}"] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 1, "class": "form-control form-control-sm"}),
                help_text=_("关键要素，请首报") if key_fact else "",
            )

    def elements(self) -> dict:
        return {
            key: self.cleaned_data.get(f"el_{key}", "")
            for key, _l, _k in REPORT_ELEMENTS
            if self.cleaned_data.get(f"el_{key}")
        }


class ReportCreateForm(ElementsMixin, StyledForm):
    title = forms.CharField(label=_("标题"), max_length=200)
    # The lowest level by default: a higher one is a deliberate choice, never the form's first option.
    level = forms.ChoiceField(label=_("级别"), choices=ReportLevel.choices, initial=ReportLevel.GENERAL)
    source_unit = forms.ModelChoiceField(label=_("报送单位"), queryset=Unit.objects.none(), required=False)
    received_at = forms.DateTimeField(
        label=_("接报时间"), required=False, widget=_dt_widget(), help_text=_("默认为当前时间")
    )
    text = forms.CharField(label=_("首报内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(label=_("附件"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_unit"].queryset = Unit.objects.external().active().order_by("sort_order", "id")
        self._add_element_fields()

    def clean_received_at(self):
        value = self.cleaned_data.get("received_at")
        if value and value > timezone.now():
            raise forms.ValidationError(_("接报时间不能晚于当前时间。"))
        return value


class ReportUpdateForm(ElementsMixin, StyledForm):
    id_prefix = "update"
    kind = forms.ChoiceField(
        label=_("类型"), choices=[(UpdateKind.FOLLOWUP, _("续报")), (UpdateKind.FINAL, _("终报"))]
    )
    text = forms.CharField(label=_("新情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    missing_reason = forms.CharField(
        label=_("缺项说明"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("终报时如仍有要素空缺，请说明原因（如“无人员伤亡，不涉及”）。"),
    )
    attachments = MultipleFileField(label=_("附件"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_element_fields()


class UpwardForm(StyledForm):
    id_prefix = "upward"
    kind = forms.ChoiceField(label=_("报告类别"), choices=ReportKind.choices)
    channel = forms.ChoiceField(label=_("报告方式"), choices=ReportChannel.choices)
    recipients = forms.CharField(
        label=_("报告对象"), max_length=200, help_text=_("如：市委主要领导、省委总值班室")
    )
    reported_at = forms.DateTimeField(label=_("报告时间"), required=False, widget=_dt_widget())

    def clean_reported_at(self):
        value = self.cleaned_data.get("reported_at")
        if value and value > timezone.now():
            raise forms.ValidationError(_("报告时间不能晚于当前时间。"))
        return value


class LevelForm(StyledForm):
    id_prefix = "level"
    level = forms.ChoiceField(label=_("级别"), choices=ReportLevel.choices)


class PhoneRecordForm(StyledForm):
    received_at = forms.DateTimeField(label=_("来电时间"), required=False, widget=_dt_widget())
    caller_unit = forms.CharField(label=_("来电单位"), max_length=100)
    caller_name = forms.CharField(label=_("来电人"), max_length=50)
    caller_title = forms.CharField(label=_("职务"), max_length=50, required=False)
    caller_number = forms.CharField(label=_("来电号码"), max_length=40)
    content = forms.CharField(label=_("来电内容"), widget=forms.Textarea(attrs={"rows": 3}))
    others_informed = forms.CharField(label=_("已告知人员"), max_length=200, required=False)
    importance = forms.ChoiceField(label=_("重要程度"), choices=Importance.choices)

    def clean_received_at(self):
        value = self.cleaned_data.get("received_at")
        if value and value > timezone.now():
            raise forms.ValidationError(_("来电时间不能晚于当前时间。"))
        return value


class HandleForm(StyledForm):
    note = forms.CharField(label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 2}))


class LogForm(StyledForm):
    text = forms.CharField(label=_("日志内容"), widget=forms.Textarea(attrs={"rows": 2}))


class HandoverForm(StyledForm):
    notes = forms.CharField(label=_("交班说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    documents = forms.CharField(
        label=_("待办文件（每行一件）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    matters = forms.CharField(
        label=_("其他事项（每行一项）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class GenerateForm(StyledForm):
    year = forms.IntegerField(label=_("年"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("月"), min_value=1, max_value=12)


class ShiftForm(StyledForm):
    leader = forms.ModelChoiceField(
        label=_("带班领导"), queryset=get_user_model().objects.none(), required=False
    )
    main_officer = forms.ModelChoiceField(
        label=_("主班"), queryset=get_user_model().objects.none(), required=False
    )
    deputy_officer = forms.ModelChoiceField(
        label=_("副班"), queryset=get_user_model().objects.none(), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True, staff__isnull=False).select_related("staff")
        for name in ("leader", "main_officer", "deputy_officer"):
            self.fields[name].queryset = users
            self.fields[name].label_from_instance = lambda u: u.staff.name


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件"))


class SwapProposeForm(StyledForm):
    shift = forms.IntegerField(widget=forms.HiddenInput)
    position = forms.ChoiceField(choices=[("main", _("主班")), ("deputy", _("副班"))])
    reason = forms.CharField(label=_("理由"), max_length=200, required=False)
