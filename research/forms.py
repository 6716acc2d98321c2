"""Forms of 政研's pages: shape and Chinese messages; the rules themselves are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AdoptionKind, Grade, TopicKind

DT_INPUT = forms.DateTimeInput(
    attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"
)
DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _text(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows, "class": "form-control"})


TEXT = forms.TextInput(attrs={"class": "form-control"})
SELECT = forms.Select(attrs={"class": "form-select"})


class PrefixedForm(forms.Form):
    id_prefix = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.id_prefix:
            self.auto_id = f"id_{self.id_prefix}_%s"


class CallForm(PrefixedForm):
    year = forms.IntegerField(
        label=_("年度"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    title = forms.CharField(label=_("标题（可不填）"), max_length=200, required=False, widget=TEXT)
    deadline = forms.DateTimeField(label=_("截止时间"), widget=DT_INPUT, input_formats=DT_FORMATS)
    description = forms.CharField(label=_("征集说明"), required=False, widget=_text(3))


class ProposalForm(PrefixedForm):
    id_prefix = "proposal"
    title = forms.CharField(label=_("建议选题"), max_length=200, widget=TEXT)
    kind = forms.ChoiceField(
        label=_("建议类别"), choices=TopicKind.choices, initial=TopicKind.SPECIAL, widget=SELECT
    )
    reasons = forms.CharField(label=_("选题理由"), widget=_text(4))


class PlanForm(PrefixedForm):
    id_prefix = "plan"
    year = forms.IntegerField(
        label=_("年度"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )


class ReturnForm(PrefixedForm):
    id_prefix = "return"
    reason = forms.CharField(label=_("退回理由"), widget=_text(2))


class TopicForm(PrefixedForm):
    id_prefix = "topic"
    title = forms.CharField(label=_("课题名称"), max_length=200, widget=TEXT)
    kind = forms.ChoiceField(label=_("类别"), choices=TopicKind.choices, widget=SELECT)
    description = forms.CharField(label=_("研究内容"), required=False, widget=_text(3))
    lead = forms.TypedChoiceField(label=_("牵头研究人员"), coerce=int, widget=SELECT)
    team = forms.TypedMultipleChoiceField(
        label=_("课题组成员（办公室和部门人员，可多选）"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 6}),
    )
    external_members = forms.CharField(
        label=_("其他成员（系统外，如专家学者）"), max_length=500, required=False, widget=TEXT
    )
    commissioned_by = forms.TypedChoiceField(
        label=_("交办领导"), coerce=int, required=False, empty_value=None, widget=SELECT
    )
    commissioned_by_name = forms.CharField(
        label=_("交办领导（不在系统中时填写姓名）"), max_length=60, required=False, widget=TEXT
    )
    proposals = forms.TypedMultipleChoiceField(
        label=_("来自选题建议（可多选）"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 4}),
    )
    started_on = forms.DateField(label=_("开题日期"), widget=DATE_INPUT)
    outline = forms.DateField(label=_("提纲期限"), required=False, widget=DATE_INPUT)
    field = forms.DateField(label=_("实地调研期限"), required=False, widget=DATE_INPUT)
    draft = forms.DateField(label=_("初稿期限"), required=False, widget=DATE_INPUT)
    final = forms.DateField(label=_("定稿期限"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, people=(), leaders=(), proposals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].choices = [("", "——")] + list(people)
        self.fields["team"].choices = list(people)
        self.fields["commissioned_by"].choices = [("", "——")] + list(leaders)
        self.fields["proposals"].choices = list(proposals)


class RecordForm(PrefixedForm):
    id_prefix = "record"
    date = forms.DateField(label=_("调研日期"), widget=DATE_INPUT)
    place = forms.CharField(label=_("调研地点"), max_length=200, widget=TEXT)
    people_met = forms.CharField(label=_("调研对象"), max_length=300, widget=TEXT)
    findings = forms.CharField(label=_("调研发现"), widget=_text(4))
    attachments = forms.FileField(
        label=_("附件（可不传）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )


class OutputForm(PrefixedForm):
    id_prefix = "output"
    title = forms.CharField(label=_("成果名称"), max_length=200, widget=TEXT)
    body = forms.CharField(label=_("成果正文（形成公文草稿，可在办文中修改、送审）"), widget=_text(8))


class EvaluateForm(PrefixedForm):
    grade = forms.ChoiceField(label=_("评价等次"), choices=Grade.choices, widget=SELECT)
    remarks = forms.CharField(label=_("评价意见"), required=False, widget=_text(2))


class AdoptionForm(PrefixedForm):
    kind = forms.ChoiceField(label=_("转化方式"), choices=AdoptionKind.choices, widget=SELECT)
    date = forms.DateField(label=_("日期"), widget=DATE_INPUT)
    leader = forms.TypedChoiceField(
        label=_("批示领导"), coerce=int, required=False, empty_value=None, widget=SELECT
    )
    leader_name = forms.CharField(
        label=_("批示领导（不在系统中时填写）"), max_length=60, required=False, widget=TEXT
    )
    text = forms.CharField(label=_("批示内容 / 说明"), required=False, widget=_text(2))
    document = forms.IntegerField(
        label=_("形成文件的编号（办文系统中的公文编号）"),
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    supervision_item = forms.IntegerField(
        label=_("督办事项编号"), required=False, widget=forms.NumberInput(attrs={"class": "form-control"})
    )
    target_label = forms.CharField(label=_("会议及决策事项"), max_length=200, required=False, widget=TEXT)
    target_url = forms.CharField(
        label=_("会议决策的链接（本系统内，以 / 开头）"), max_length=300, required=False, widget=TEXT
    )

    def __init__(self, *args, leaders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].choices = [("", "——")] + list(leaders)
