"""The date field widget: the browser's date picker, whose value is always ISO 8601 whatever the page's language.

Django renders a date widget's value in the language's first input format ("01/12/2026" in French), which an
`<input type="date">` cannot read, so the field would show empty on a French or Spanish page.
"""

from django import forms


class IsoDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
