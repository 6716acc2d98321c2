from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Level, WebhookKind


class PreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(label=_("接收邮件提醒"), required=False)
    email_min_level = forms.ChoiceField(label=_("邮件提醒的最低级别"), choices=Level.choices)
    webhook_enabled = forms.BooleanField(label=_("接收群机器人消息"), required=False)
    webhook_min_level = forms.ChoiceField(label=_("机器人消息的最低级别"), choices=Level.choices)
    webhook_kind = forms.ChoiceField(label=_("机器人类型"), choices=WebhookKind.choices)
    webhook_url = forms.URLField(
        label=_("机器人地址"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("企业微信或钉钉群机器人的 Webhook 地址；清空即删除。"),
        error_messages={"invalid": _("请输入完整的网址。")},
    )
    webhook_secret = forms.CharField(
        label=_("加签密钥"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("仅钉钉“加签”需要；留空表示不修改已保存的密钥。"),
    )
