"""The portal's date formats per language, on top of Django's (`FORMAT_MODULE_PATH`).

Pages and e-mails name a format (`|date` for DATE_FORMAT, `|date:"SHORT_DATE_FORMAT"`, `date_format(d)`), never a
pattern, so each language writes dates its own way: "1 December 2026", "1 décembre 2026", "1 de diciembre de 2026";
in tables "1 Dec 2026", "1 déc. 2026", "1 dic. 2026". English follows UN usage (day month year) rather than
Django's American default. Everything not set here (separators, input formats) is Django's for the language.
"""
