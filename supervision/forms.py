from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office.org.models import Unit
from office.org.selectors import users_with_role

from .models import Category, ContactMode, Source, Urgency


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        if hasattr(value, "strftime"):
            return value.strftime("%Y-%m-%dT%H:%M")
        return value


def _small(form, id_prefix: str = ""):
    """Bootstrap classes; the templates render every field with a visible label (templates/_field.html),
    so no placeholder stands in for one. ``id_prefix`` keeps ids unique where several forms share a
    page (the item page has five)."""
    if id_prefix:
        form.auto_id = f"id_{id_prefix}_%s"
    for field in form.fields.values():
        css = (
            "form-select form-select-sm"
            if isinstance(field.widget, forms.Select)
            else "form-control form-control-sm"
        )
        if isinstance(field.widget, forms.CheckboxSelectMultiple):
            continue
        field.widget.attrs.setdefault("class", css)


class ItemForm(forms.Form):
    title = forms.CharField(label=_("事项名称"), max_length=200)
    requirement = forms.CharField(label=_("督办要求"), widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.ChoiceField(label=_("来源"), choices=Source.choices)
    source_date = forms.DateField(label=_("来源日期"), required=False, widget=DateInput)
    source_ref = forms.CharField(label=_("来源文号/出处"), max_length=120, required=False)
    instructing_leader = forms.CharField(label=_("批示领导"), max_length=60, required=False)
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices)
    lead_unit = forms.ModelChoiceField(label=_("主办单位"), queryset=Unit.objects.none(), required=False)
    lead_person = forms.CharField(label=_("责任人"), max_length=60, required=False)
    assignee = forms.ModelChoiceField(
        label=_("承办人（内部交办）"), queryset=get_user_model().objects.none(), required=False
    )
    assisting_units = forms.ModelMultipleChoiceField(
        label=_("协办单位"), queryset=Unit.objects.none(), required=False
    )
    commissioners = forms.ModelMultipleChoiceField(
        label=_("督查专员"), queryset=get_user_model().objects.none(), required=False
    )
    due = forms.DateField(label=_("办结日期"), required=False, widget=DateInput)
    due_working_days = forms.IntegerField(label=_("或：工作日数"), min_value=1, max_value=365, required=False)
    expected_output = forms.CharField(label=_("预期成果"), max_length=200, required=False)
    milestones = forms.CharField(
        label=_("工作节点"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个：日期 节点名称，如 2026-03-20 完成方案"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.active().order_by("sort_order", "id")
        self.fields["lead_unit"].queryset = units
        self.fields["assisting_units"].queryset = units
        self.fields["commissioners"].queryset = users_with_role("supervision_commissioner").select_related(
            "staff"
        )
        self.fields["commissioners"].label_from_instance = lambda u: getattr(
            getattr(u, "staff", None), "name", u.username
        )
        self.fields["assignee"].queryset = (
            get_user_model()
            .objects.filter(
                groups__name__in=["deputy_director", "director", "section_chief", "staff"], is_active=True
            )
            .distinct()
            .select_related("staff")
        )
        self.fields["assignee"].label_from_instance = lambda u: getattr(
            getattr(u, "staff", None), "name", u.username
        )
        _small(self)

    def clean_milestones(self):
        import datetime as dt

        out = []
        for n, line in enumerate((self.cleaned_data.get("milestones") or "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            date_text, _sep, title = line.partition(" ")
            try:
                when = dt.date.fromisoformat(date_text)
            except ValueError:
                raise forms.ValidationError(
                    _("第 %(n)s 行日期格式应为 2026-03-20。"), params={"n": n}
                ) from None
            if not title.strip():
                raise forms.ValidationError(_("第 %(n)s 行缺少节点名称。"), params={"n": n})
            out.append((title.strip(), when))
        return out

    def clean(self):
        data = super().clean()
        if not data.get("lead_unit") and not data.get("assignee"):
            self.add_error("lead_unit", _("请指定主办单位，或内部交办的承办人。"))
        if data.get("due") and data.get("due_working_days"):
            self.add_error("due_working_days", _("办结日期和工作日数只填一项。"))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _small(self)


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"), choices=[("progress", _("进展反馈")), ("result", _("办理结果"))]
    )
    milestone = forms.TypedChoiceField(label=_("对应节点"), required=False, coerce=int, empty_value=None)
    content = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 3}))
    attachment = forms.FileField(label=_("附件"), required=False)

    def __init__(self, *args, milestones=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Each open milestone by its local date and name; the empty choice says what it means.
        open_ones = [(m.pk, f"{timezone.localtime(m.due_at):%m-%d} {m.title}") for m in milestones]
        empty = _("不对应具体节点") if open_ones else _("（没有待反馈的节点）")
        self.fields["milestone"].choices = [("", empty), *open_ones]
        _small(self, "feedback")


class ExtensionForm(forms.Form):
    new_due = forms.DateField(label=_("申请延至"), widget=DateInput)
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _small(self, "extension")


class DecideForm(forms.Form):
    approve = forms.BooleanField(required=False)
    note = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MilestoneForm(forms.Form):
    due = forms.DateField(label=_("节点日期"), widget=DateInput)
    title = forms.CharField(label=_("节点名称"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _small(self, "milestone")


class MilestoneRescheduleForm(forms.Form):
    due = forms.DateField(label=_("新的节点日期"), widget=DateInput)
    reason = forms.CharField(label=_("调整理由"), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _small(self, "reschedule")


class VisitForm(forms.Form):
    visited_at = forms.DateTimeField(label=_("时间"), widget=DateTimeInput)
    place = forms.CharField(label=_("地点"), max_length=200)
    people_met = forms.CharField(label=_("见面人员"), max_length=300)
    findings = forms.CharField(label=_("发现情况"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _small(self, "visit")


class CommunicationForm(forms.Form):
    contact_mode = forms.ChoiceField(label=_("方式"), choices=ContactMode.choices)
    contact_person = forms.CharField(label=_("沟通对象"), max_length=100)
    contact_at = forms.DateTimeField(label=_("沟通时间"), widget=DateTimeInput)
    agreed = forms.CharField(label=_("商定事项"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _small(self, "communication")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("台账文件（.xlsx）"))


class ItemEditForm(forms.Form):
    """Edit a draft's facts; ``version`` (the updated_at the form showed) refuses a stale save."""

    title = forms.CharField(label=_("事项名称"), max_length=200)
    requirement = forms.CharField(label=_("督办要求"), widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.ChoiceField(label=_("来源"), choices=Source.choices)
    source_date = forms.DateField(label=_("来源日期"), required=False, widget=DateInput)
    source_ref = forms.CharField(label=_("来源文号/出处"), max_length=120, required=False)
    instructing_leader = forms.CharField(label=_("批示领导"), max_length=60, required=False)
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices)
    lead_person = forms.CharField(label=_("责任人"), max_length=60, required=False)
    due = forms.DateField(label=_("办结日期"), required=False, widget=DateInput)
    due_working_days = forms.IntegerField(label=_("或：工作日数"), min_value=1, max_value=365, required=False)
    expected_output = forms.CharField(label=_("预期成果"), max_length=200, required=False)
    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _small(self)

    def clean_version(self):
        import datetime as dt

        try:
            return dt.datetime.fromisoformat(self.cleaned_data["version"])
        except ValueError:
            raise forms.ValidationError(_("页面已过期，请刷新后重试。")) from None

    def clean(self):
        data = super().clean()
        if data.get("due") and data.get("due_working_days"):
            self.add_error("due_working_days", _("办结日期和工作日数只填一项。"))
        if not data.get("due") and not data.get("due_working_days"):
            self.add_error("due", _("请填写办结日期或工作日数。"))
        return data
