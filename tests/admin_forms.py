"""Post an admin change form, or a page's form, back as a browser would: every field with its current value."""

import datetime

from django.forms import MultiWidget


def _posted(value):
    if value is None or value is False:
        return None
    if value is True:
        return "on"
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return str(value)


def form_data(page, **changes):
    """The data the admin change page `page` would post, with `changes` applied."""
    forms = [page.context["adminform"].form]
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for name, field in form.fields.items():
            if isinstance(field.widget, MultiWidget):  # e.g. a split date and time: one input each
                for part in form[name].subwidgets:
                    data[part.data["name"]] = part.data["value"] or ""
                continue
            value = _posted(form[name].value())
            if value is not None:
                data[form.add_prefix(name)] = value
    data.update(changes)
    return data


def page_form_data(form, **changes):
    """The data a page's `form` (as rendered: unbound, or bound and shown again) would post, with `changes`."""
    data = {}
    for field in form:
        value = field.value()
        if isinstance(value, datetime.date):
            value = value.isoformat()
        value = _posted(value)
        if value is not None:
            data[field.html_name] = value
    data.update(changes)
    return data
