from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from office.org.models import Unit

from .models import Classification, DocType, Urgency
from .selectors import reader_candidates

User = get_user_model()


class ReaderChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        staff = getattr(obj, "staff", None)
        if staff is None:
            return obj.get_username()
        return f"{staff.name}（{staff.unit.name}）" if staff.unit_id else staff.name


class GrantReadersForm(forms.Form):
    users = ReaderChoiceField(
        label=_("阅知人员"),
        queryset=reader_candidates(),
        widget=forms.SelectMultiple(attrs={"class": "form-select form-select-sm", "size": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # re-evaluated per form, so new staff appear without a restart
        self.fields["users"].queryset = reader_candidates()


def _staff_choices():
    from .selectors import reader_candidates

    return reader_candidates()


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return ReaderChoiceField.label_from_instance(self, obj)  # type: ignore[arg-type]


class StaffMultipleChoiceField(ReaderChoiceField):
    pass


class DraftCreateForm(forms.Form):
    """A new outgoing document: type, title, text, recipients, 密级 and 紧急程度."""

    doc_type = forms.ChoiceField(label=_("文种"), choices=DocType.choices, initial=DocType.NOTICE)
    title = forms.CharField(label=_("标题"), max_length=200)
    main_recipients = forms.CharField(label=_("主送机关"), max_length=500, required=False)
    copy_to = forms.CharField(label=_("抄送机关"), max_length=500, required=False)
    body = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("每段一行；标题层次用“一、”“（一）”“1.”“（1）”。"),
    )
    classification = forms.ChoiceField(
        label=_("密级"), choices=Classification.choices, initial=Classification.INTERNAL
    )
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, required=False)
    recipient_units = forms.ModelMultipleChoiceField(
        label=_("送达单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    to_all_units = forms.BooleanField(label=_("发至全部单位"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_units"].queryset = (
            Unit.objects.external().active().order_by("sort_order", "id")
        )
        _style(self)


class DraftEditForm(forms.Form):
    """A save of the text: it carries the revision the editor loaded (optimistic lock)."""

    revision = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("标题"), max_length=200)
    title_lines = forms.CharField(
        label=_("标题分行"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("每行一段；留空则按词自动分行，不在词语中间断开。"),
    )
    main_recipients = forms.CharField(label=_("主送机关"), max_length=500, required=False)
    copy_to = forms.CharField(label=_("抄送机关"), max_length=500, required=False)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 16}))
    note = forms.CharField(label=_("修改说明"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ChainForm(forms.Form):
    """The drafter's chain: reviewers in order, countersigning bodies, the signer."""

    reviewer_1 = StaffChoiceField(label=_("第一核稿人"), queryset=User.objects.none(), required=False)
    reviewer_2 = StaffChoiceField(label=_("第二核稿人"), queryset=User.objects.none(), required=False)
    reviewer_3 = StaffChoiceField(label=_("第三核稿人"), queryset=User.objects.none(), required=False)
    countersigners = StaffMultipleChoiceField(
        label=_("会签人员"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("会签单位取其所在单位名称。"),
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    countersign_parallel = forms.TypedChoiceField(
        label=_("会签方式"),
        choices=[("1", _("同时会签")), ("0", _("依次会签"))],
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    signer = StaffChoiceField(label=_("签发人"), queryset=User.objects.none())
    due_hours = forms.IntegerField(
        label=_("每个环节的办理时限（工作小时）"), min_value=1, max_value=200, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("reviewer_1", "reviewer_2", "reviewer_3", "countersigners", "signer"):
            self.fields[name].queryset = _staff_choices()
        _style(self)

    def reviewer_list(self) -> list:
        seen, out = set(), []
        for name in ("reviewer_1", "reviewer_2", "reviewer_3"):
            user = self.cleaned_data.get(name)
            if user is not None and user.pk not in seen:
                seen.add(user.pk)
                out.append(user)
        return out

    def countersigner_pairs(self) -> list[tuple]:
        pairs = []
        for user in self.cleaned_data.get("countersigners") or []:
            staff = getattr(user, "staff", None)
            body = staff.unit.name if staff is not None and staff.unit_id else ""
            pairs.append((user, body))
        return pairs


class SubmitForm(forms.Form):
    override_reason = forms.CharField(
        label=_("校对意见不改的理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("校对发现错误时必填，理由将记录在案。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ApproveForm(forms.Form):
    opinion = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(forms.Form):
    to_stage = forms.TypedChoiceField(label=_("退回至"), coerce=int, choices=[])
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = list(targets)
        _style(self)


class DelegateForm(forms.Form):
    to_user = StaffChoiceField(label=_("转办给"), queryset=User.objects.none())
    reason = forms.CharField(label=_("转办说明"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = _staff_choices()
        _style(self)


class CommentForm(forms.Form):
    paragraph = forms.IntegerField(label=_("段落"), min_value=0)
    text = forms.CharField(label=_("批注"), widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), widget=forms.Textarea(attrs={"rows": 2}))


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.HiddenInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select | forms.SelectMultiple) else "form-control"
        widget.attrs.setdefault("class", css)
