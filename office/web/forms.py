"""What every app's page views share about forms."""

from django import forms
from django.forms import ModelChoiceField, ModelMultipleChoiceField

from office.errors import Forbidden, NotFound, OfficeError


def service_error_to_form(form, exc: OfficeError) -> None:
    """Show a service's refusal on the form: each field's message under its field (the rest at the top).
    Not found and forbidden are not form errors: they go on to the portal's 404 and 403 pages."""
    if isinstance(exc, Forbidden | NotFound):
        raise exc
    for name, messages in (exc.fields or {None: [str(exc)]}).items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


def person_label(user) -> str:
    """A person in a choice list: name (position, or unit)."""
    staff = getattr(user, "staff", None)
    return f"{staff.name}（{staff.position or staff.unit.name}）" if staff else user.get_username()


class PersonChoice(ModelChoiceField):
    def label_from_instance(self, obj):
        return person_label(obj)


class PeopleChoice(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return person_label(obj)


class StyledForm(forms.Form):
    """A form whose widgets carry Bootstrap's classes: check boxes ``form-check-input``, selects
    ``form-select``, everything else ``form-control`` (a list of check boxes is left to its template)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
