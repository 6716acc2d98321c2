"""Forms of the meeting pages: shape and Chinese messages; the rules themselves are the services'."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from documents.models import Classification
from office.org.models import Unit, UnitKind
from office.org.selectors import office_people
from office.web.forms import PeopleChoice, PersonChoice, StyledForm

from .models import DEVICES, IncidentCategory, MeetingType, Response, Room

DT_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
User = get_user_model()


class MeetingForm(StyledForm):
    meeting_type = forms.ModelChoiceField(
        label=_("会议类型"), queryset=MeetingType.objects.filter(is_active=True)
    )
    title = forms.CharField(label=_("会议名称"), max_length=200)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DT_INPUT, input_formats=DT_FORMATS)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DT_INPUT, input_formats=DT_FORMATS)
    room = forms.ModelChoiceField(
        label=_("会议室"), queryset=Room.objects.filter(is_active=True), required=False
    )
    section = forms.ModelChoiceField(
        label=_("承办科室"),
        queryset=Unit.objects.filter(kind=UnitKind.SECTION, is_active=True),
        required=False,
    )
    classification = forms.ChoiceField(
        label=_("密级"), choices=Classification.choices, initial=Classification.INTERNAL
    )
    presiding = PersonChoice(label=_("主持领导"), queryset=User.objects.none(), required=False)
    leaders = PeopleChoice(
        label=_("出席领导（按名单顺序）"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("参会单位"),
        queryset=Unit.objects.filter(is_active=True).order_by("sort_order", "id"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    organizer = PersonChoice(label=_("会务负责人"), queryset=User.objects.none(), required=False)
    technician = PersonChoice(
        label=_("技术保障人员（视频音响）"), queryset=User.objects.none(), required=False
    )
    service_staff = PeopleChoice(
        label=_("会务人员"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    description = forms.CharField(
        label=_("会议内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # the version the form was filled from (editing only): a save over someone else's is refused
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = office_people()
        for name in ("presiding", "leaders", "organizer", "technician", "service_staff"):
            self.fields[name].queryset = people


class NoticeForm(StyledForm):
    text = forms.CharField(
        label=_("通知内容（不填则按会议信息生成）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateTimeField(
        label=_("回执截止时间（不填则为会前 1 天）"),
        required=False,
        widget=DT_INPUT,
        input_formats=DT_FORMATS,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.auto_id = "id_notice_%s"


class CancelForm(StyledForm):
    reason = forms.CharField(label=_("取消原因"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.auto_id = "id_cancel_%s"


class ReceiptForm(StyledForm):
    response = forms.ChoiceField(
        label=_("回执"),
        choices=[c for c in Response.choices if c[0] != Response.PENDING],
        widget=forms.RadioSelect,
    )
    attendee_name = forms.CharField(label=_("参会（代会）人员姓名"), max_length=50, required=False)
    attendee_post = forms.CharField(label=_("职务"), max_length=60, required=False)
    reason = forms.CharField(label=_("请假事由"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["response"].widget.attrs = {"class": "form-check-input"}


class DevicesForm(forms.Form):
    devices = forms.MultipleChoiceField(
        label=_("已调试的设备"), choices=DEVICES, required=False, widget=forms.CheckboxSelectMultiple
    )


class IncidentForm(StyledForm):
    category = forms.ChoiceField(label=_("类别"), choices=IncidentCategory.choices)
    description = forms.CharField(label=_("什么出了问题"), max_length=300)
    started_at = forms.DateTimeField(label=_("开始时间"), widget=DT_INPUT, input_formats=DT_FORMATS)
    ended_at = forms.DateTimeField(
        label=_("结束时间"), required=False, widget=DT_INPUT, input_formats=DT_FORMATS
    )
    minutes_lost = forms.IntegerField(
        label=_("中断分钟数（不填按起止时间计算）"), required=False, min_value=0
    )
    action_taken = forms.CharField(label=_("处置措施"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.auto_id = "id_incident_%s"


class DecisionForm(StyledForm):
    text = forms.CharField(label=_("议定事项"), widget=forms.Textarea(attrs={"rows": 2}))
    lead_unit = forms.ModelChoiceField(
        label=_("牵头单位"),
        queryset=Unit.objects.filter(is_active=True).order_by("sort_order", "id"),
        required=False,
    )
    deadline = forms.DateField(
        label=_("完成时限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.auto_id = "id_decision_%s"


class DeskForm(StyledForm):
    receipt = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    unit_name = forms.CharField(label=_("单位"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.auto_id = "id_desk_%s"


class SwapForm(StyledForm):
    a = forms.ChoiceField(label=_("座位甲"))
    b = forms.ChoiceField(label=_("座位乙"))

    def __init__(self, *args, seats=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (s.key, f"{s.name}（{s.get_zone_display()} 第{s.row + 1}排 {s.index + 1}号）") for s in seats
        ]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices
        self.auto_id = "id_swap_%s"
