"""Forms of the incoming pages: shape checks only; the rules are the services'."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from documents.models import Classification, Urgency
from office.org.models import Unit
from office.org.roles import DOCUMENT_INSTRUCTING_ROLES, INTERNAL_ROLES

from .models import CirculationMode, IncomingChannel, IncomingStatus

DESK_CHANNELS = [(c.value, c.label) for c in (IncomingChannel.PAPER, IncomingChannel.COURIER)]


def _date(**kw):
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **kw)


def _staff():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=INTERNAL_ROLES)
        .distinct()
        .select_related("staff")
        .order_by("staff__unit__sort_order", "pk")
    )


class StyledForm(forms.Form):
    """Bootstrap classes on every widget (the templates render fields through _field.html)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control form-control-sm")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        staff = getattr(obj, "staff", None)
        return staff.name if staff else obj.get_username()


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        staff = getattr(obj, "staff", None)
        return staff.name if staff else obj.get_username()


class RegisterForm(StyledForm):
    channel = forms.ChoiceField(label=_("来文方式"), choices=DESK_CHANNELS)
    received_at = forms.DateTimeField(
        label=_("签收时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("留空为当前时间。"),
    )
    issuing_body = forms.CharField(label=_("来文机关"), max_length=100)
    their_number = forms.CharField(label=_("来文字号"), max_length=60, required=False)
    their_date = _date(label=_("成文日期"), required=False)
    title = forms.CharField(label=_("标题"), max_length=200)
    classification = forms.ChoiceField(
        label=_("密级"), choices=Classification.choices, initial=Classification.INTERNAL
    )
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, required=False)
    pages = forms.IntegerField(label=_("页数"), min_value=1, initial=1)
    copies = forms.IntegerField(label=_("份数"), min_value=1, initial=1)
    file = forms.FileField(label=_("文件（扫描件或电子文件）"), required=False)


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ProposeForm(StyledForm):
    proposal = forms.CharField(label=_("拟办意见"), widget=forms.Textarea(attrs={"rows": 3}))
    leader = StaffChoiceField(
        label=_("呈批领导"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("全部领导"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__name__in=DOCUMENT_INSTRUCTING_ROLES)
            .distinct()
            .select_related("staff")
            .order_by("pk")
        )


class InstructForm(StyledForm):
    instruction = forms.CharField(label=_("批示内容"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = _date(label=_("办理时限"), required=False)


class AssignForm(StyledForm):
    handler = StaffChoiceField(label=_("承办人"), queryset=get_user_model().objects.none(), required=False)
    handler_unit = forms.ModelChoiceField(label=_("承办单位"), queryset=Unit.objects.none(), required=False)
    due = _date(label=_("办理时限"), required=False, help_text=_("留空则按批示时限或默认工作日数。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = _staff()
        self.fields["handler_unit"].queryset = Unit.objects.filter(is_active=True).order_by(
            "sort_order", "id"
        )


class CirculateForm(StyledForm):
    readers = StaffMultipleChoiceField(
        label=_("阅文人"),
        queryset=get_user_model().objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    mode = forms.ChoiceField(
        label=_("传阅方式"), choices=CirculationMode.choices, initial=CirculationMode.PARALLEL
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["readers"].queryset = _staff()


class ReadForm(StyledForm):
    note = forms.CharField(label=_("阅文意见"), max_length=500, required=False)


class ReplyForm(StyledForm):
    reply = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 3}))


class UrgeForm(StyledForm):
    circulation = forms.IntegerField(widget=forms.HiddenInput)


class FilterForm(StyledForm):
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部"))] + IncomingStatus.choices, required=False
    )
    classification = forms.ChoiceField(
        label=_("密级"), choices=[("", _("全部"))] + Classification.choices, required=False
    )
    urgency = forms.ChoiceField(
        label=_("紧急程度"),
        choices=[("all", _("全部"))] + [(v or "", lbl) for v, lbl in Urgency.choices],
        required=False,
        initial="all",
    )
    date_from = _date(label=_("签收日期自"), required=False)
    date_to = _date(label=_("至"), required=False)
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)


__all__ = [
    "AssignForm",
    "CirculateForm",
    "FilterForm",
    "InstructForm",
    "ProposeForm",
    "ReadForm",
    "ReasonForm",
    "RegisterForm",
    "ReplyForm",
    "UrgeForm",
]
