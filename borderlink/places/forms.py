from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from borderlink.core import dates, form_style
from borderlink.places.models import Unit


class UnitForm(forms.ModelForm):
    parent = forms.ModelChoiceField(
        queryset=Unit.objects.all(),
        required=False,
        to_field_name="code",
        widget=forms.TextInput(),
        label=_("Parent (BorderLink code)"),
    )

    class Meta:
        model = Unit
        fields = [
            "code",
            "kind",
            "country",
            "parent",
            "official_code",
            "official_code_system",
            "native_type",
            "name_vi",
            "name_en",
            "name_zh",
            "name_zh_pinyin",
            "valid_from",
            "valid_to",
            "is_border",
            "note",
        ]
        # Dates typed and shown in the page's language (core/dates.py).
        field_classes = {"valid_from": dates.DateField, "valid_to": dates.DateField}
        widgets = {
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The code is the unit's identity in addresses and the API, and a unit is never
            # moved: a change of parent is a new unit succeeding this one.
            self.fields["code"].disabled = True
            self.fields["parent"].disabled = True
            self.initial["parent"] = self.instance.parent.code if self.instance.parent else None
            self.fields["parent"].help_text = _(
                "A unit is never moved. To record a move, merge, split or rename, end this unit "
                "and create its successor."
            )
        form_style.style(self)
