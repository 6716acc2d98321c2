from django import forms
from django.utils.translation import gettext_lazy as _

from office.org.selectors import office_people
from office.web.forms import PeopleChoice, PersonChoice, StyledForm

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


class PostForm(StyledForm):
    code = forms.SlugField(
        label=_("岗位代码"), max_length=40, help_text=_("英文字母、数字和连字符，建立后不再修改。")
    )
    name = forms.CharField(label=_("岗位名称"), max_length=100)
    section = forms.ModelChoiceField(label=_("所在科室"), queryset=None)
    holders = PeopleChoice(
        label=_("在岗人员"),
        queryset=None,
        required=False,
        help_text=_("按住 Ctrl（Mac 上为 ⌘）可多选。"),
        widget=forms.SelectMultiple(attrs={"size": "8"}),
    )
    duties = forms.CharField(label=_("岗位职责"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, max_value=10000, initial=100)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        from office.org.models import Unit

        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Unit.objects.internal().active().order_by("sort_order", "pk")
        self.fields["holders"].queryset = office_people()
        if editing:
            del self.fields["code"]
        else:
            del self.fields["is_active"]


class RiskForm(StyledForm):
    code = forms.SlugField(
        label=_("风险代码"),
        max_length=40,
        help_text=_("英文字母、数字和连字符，本岗位内唯一；风险事件按代码归入。"),
    )
    area = forms.ChoiceField(label=_("领域"), choices=Area.choices)
    title = forms.CharField(label=_("风险点"), max_length=120)
    description = forms.CharField(
        label=_("风险描述"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    likelihood = forms.TypedChoiceField(
        label=_("可能性（1 很少发生 – 5 经常发生）"), choices=SCALE_CHOICES, coerce=int
    )
    impact = forms.TypedChoiceField(label=_("影响（1 轻微 – 5 严重）"), choices=SCALE_CHOICES, coerce=int)
    owner = PersonChoice(
        label=_("责任人"),
        queryset=None,
        required=False,
        help_text=_("复核到期时提醒此人；不填则提醒岗位在岗人员。新增的防控措施也由此人负责。"),
    )
    controls = forms.CharField(
        label=_("防控措施"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一条。"),
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = office_people()
        if editing:
            del self.fields["code"]
        else:
            del self.fields["is_active"]

    def clean_controls(self):
        return [line.strip() for line in self.cleaned_data["controls"].splitlines() if line.strip()]

    def clean(self):
        data = super().clean()
        if not self.errors and data.get("controls") and data.get("owner") is None and "code" in self.fields:
            self.add_error("owner", _("登记防控措施时请选择责任人。"))
        return data


class IncidentAssignForm(forms.Form):
    risk = forms.ModelChoiceField(label=_("归入风险点"), queryset=None)

    def __init__(self, *args, **kwargs):
        from .models import Risk

        super().__init__(*args, **kwargs)
        self.fields["risk"].queryset = (
            Risk.objects.filter(is_active=True, post__is_active=True)
            .select_related("post")
            .order_by("post__sort_order", "post__code", "code")
        )
        self.fields["risk"].widget.attrs["class"] = "form-select form-select-sm"
