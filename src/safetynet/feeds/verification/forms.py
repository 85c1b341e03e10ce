"""The form of a verification request: purpose, the signed authorisation's reference, and (for
legal aid) the applicant among the household's members."""

from __future__ import annotations

from typing import Any

from django import forms

from safetynet.feeds.models import VerificationPurpose
from safetynet.registry.models import Person


class VerificationRequestForm(forms.Form):
    purpose = forms.ChoiceField(label="用途", choices=VerificationPurpose.choices)
    authorisation_reference = forms.CharField(
        label="核对授权书编号",
        max_length=100,
        help_text="申请人及共同生活家庭成员签署的经济状况核对授权书的编号，无授权书不得核对。",
    )
    person = forms.TypedChoiceField(
        label="申请人",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="法律援助经济困难核对须选择申请人；低保等认定核对以全户为对象，可不选。",
    )

    def __init__(self, *args: Any, members: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {person.pk: person for person in members}
        person_field = self.fields["person"]
        assert isinstance(person_field, forms.TypedChoiceField)
        person_field.choices = [("", "（全户）")] + [
            (person.pk, f"{person.name}（{person.id_number_masked}）") for person in members
        ]
