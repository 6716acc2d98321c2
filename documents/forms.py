from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import reader_candidates


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
