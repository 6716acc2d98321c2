"""Forms of the campaign pages: shape and Chinese messages; the rules themselves are the services'
(``check_reply`` is the one rule of a real reply, asked by the form and by the service)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Channel, ReplyCode, Visibility
from .services.replies import check_reply

DT_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("活动标题"), max_length=200, initial="出点子、吐心声")
    prompts = forms.CharField(
        label=_("征集题目（每行一个）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请至少填写一个征集题目。")},
    )
    min_per_person = forms.IntegerField(label=_("每人最少条数"), min_value=1, initial=2)
    deadline = forms.DateTimeField(
        label=_("截止时间（不填则为下周三 18:00，遇节假日顺延）"),
        required=False,
        widget=DT_INPUT,
        input_formats=DT_FORMATS,
    )
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SubmitForm(forms.Form):
    prompt = forms.IntegerField(label=_("题目"), error_messages={"required": _("请选择本条意见回答的题目。")})
    text = forms.CharField(
        label=_("内容"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("请填写意见内容。")},
    )
    visibility = forms.ChoiceField(
        label=_("可见范围"), choices=Visibility.choices, initial=Visibility.NAMED, required=False
    )

    def clean_visibility(self):
        return self.cleaned_data.get("visibility") or Visibility.NAMED


class EnterForm(SubmitForm):
    author = forms.IntegerField(label=_("提交人"), error_messages={"required": _("请选择提交人。")})
    channel = forms.ChoiceField(
        label=_("收到方式"), choices=[c for c in Channel.choices if c[0] != Channel.WEB]
    )


class ReplyForm(forms.Form):
    code = forms.ChoiceField(label=_("答复结果"), choices=ReplyCode.choices)
    text = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    reason = forms.CharField(
        label=_("理由（“留作参考”或不予采纳时必填）"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    refused = forms.BooleanField(label=_("不予采纳"), required=False)

    def clean(self):
        data = super().clean()
        errors = check_reply(
            code=data.get("code", ""),
            text=data.get("text", ""),
            reason=data.get("reason", ""),
            refused=bool(data.get("refused")),
        )
        for name, messages in errors.items():
            for m in messages:
                self.add_error(name if name in self.fields else None, m)
        return data


class TalkForm(forms.Form):
    person = forms.IntegerField(label=_("谈话对象"), error_messages={"required": _("请选择谈话对象。")})
    scheduled_at = forms.DateTimeField(
        label=_("时间"),
        widget=DT_INPUT,
        input_formats=DT_FORMATS,
        error_messages={"required": _("请填写谈话时间。")},
    )
    place = forms.CharField(label=_("地点"), max_length=100, error_messages={"required": _("请填写地点。")})
    topics = forms.CharField(
        label=_("谈话主题"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写谈话主题。")},
    )
