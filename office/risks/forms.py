from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Area, Level

SCALE_CHOICES = [(i, str(i)) for i in range(1, 6)]


class RegisterFilterForm(forms.Form):
    area = forms.ChoiceField(label=_("领域"), required=False, choices=[("", _("全部"))] + list(Area.choices))
    level = forms.ChoiceField(
        label=_("等级"), required=False, choices=[("", _("全部"))] + list(Level.choices)
    )
    section = forms.TypedChoiceField(label=_("科室"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", _("全部"))] + [(u.pk, u.name) for u in sections]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class ReviewForm(forms.Form):
    likelihood = forms.TypedChoiceField(
        label=_("可能性（1 很少发生 – 5 经常发生）"), choices=SCALE_CHOICES, coerce=int
    )
    impact = forms.TypedChoiceField(label=_("影响（1 轻微 – 5 严重）"), choices=SCALE_CHOICES, coerce=int)
    controls_effective = forms.TypedChoiceField(
        label=_("现有防控措施是否有效"),
        choices=[("1", _("有效")), ("0", _("需改进"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    assessment = forms.CharField(
        label=_("自查情况"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("写明措施落实情况、发现的问题和改进打算。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("likelihood", "impact"):
            self.fields[name].widget.attrs["class"] = "form-select"
        self.fields["assessment"].widget.attrs["class"] = "form-control"


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结论"), choices=[("approve", _("通过")), ("return", _("退回"))], widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("审核意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("退回时必须填写理由。"),
    )


class CampaignForm(forms.Form):
    title = forms.CharField(
        label=_("标题"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    deadline = forms.DateTimeField(
        label=_("截止时间"),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"
        ),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    sections = forms.MultipleChoiceField(
        label=_("参加科室"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选则为全部岗位。"),
    )

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].choices = [(str(u.pk), u.name) for u in sections]
