from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from office.org.models import Role

from .models import EventKind


class OtpForm(forms.Form):
    code = forms.CharField(
        label=_("动态口令或恢复码"),
        max_length=20,
        help_text=_("打开手机上的身份验证器应用，输入显示的 6 位数字；手机丢失时可输入一个恢复码。"),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "form-control"}
        ),
    )


class OtpSetupForm(forms.Form):
    code = forms.CharField(
        label=_("验证器显示的 6 位数字"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "form-control"}
        ),
    )


LOGS = [("security", _("安全日志")), ("audit", _("业务审计日志"))]


class LogSearchForm(forms.Form):
    log = forms.ChoiceField(label=_("日志"), choices=LOGS, required=False)
    q = forms.CharField(label=_("人员或对象"), required=False, max_length=100)
    kind = forms.CharField(label=_("类型或动作"), required=False, max_length=80)
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    kinds = EventKind.choices


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("角色"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class AccountPickForm(forms.Form):
    q = forms.CharField(label=_("登录名或姓名"), required=False, max_length=100)


User = get_user_model()
