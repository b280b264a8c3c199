"""Post an admin change form back as a browser would: every field and inline with its current value."""

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
