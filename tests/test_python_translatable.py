"""What the Python code says to people goes through the catalogue (issue 12): cheap checks that
a new label, field or rule message is not left in English only. (Ruff's INT rules keep
f-strings and .format() out of translation calls.)"""

import ast
import inspect

import pytest
from django.apps import apps
from django.utils.functional import Promise

from cvetracker.datasets import Dataset
from events import choices as event_choices
from events.filters import ActorFilterSet, EventFilterSet
from recommendations import choices, workflow
from recommendations.filters import AssignmentFilterSet, RecommendationFilterSet, StatusUpdateFilterSet
from web.forms import StatusUpdateForm

VOCABULARIES = [
    choices.Status,
    choices.RecommendationKind,
    choices.AssignmentRole,
    choices.UpdateKind,
    choices.ReportedBy,
    event_choices.ActorKind,
    event_choices.EventKind,
    event_choices.ParticipationRole,
    Dataset,
]


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.__name__)
def test_every_choice_label_is_translatable(vocabulary):
    untranslated = [value for value, label in vocabulary.choices if not isinstance(label, Promise)]
    assert untranslated == []


def test_the_current_status_labels_and_abbreviations_are_translatable():
    assert set(choices.CURRENT_STATUS_LABELS) == set(choices.CURRENT_STATUS_ABBREVIATIONS)
    for slug in choices.CURRENT_STATUS_ORDER:
        assert isinstance(choices.CURRENT_STATUS_LABELS[slug], Promise), slug
        assert isinstance(choices.CURRENT_STATUS_ABBREVIATIONS[slug], Promise), slug
    assert isinstance(choices.NO_THEME_LABEL, Promise)


def _own_models():
    return [
        model
        for label in ("events", "recommendations", "accounts", "reminders")
        for model in apps.get_app_config(label).get_models()
    ]


@pytest.mark.parametrize("model", _own_models(), ids=lambda m: m.__name__)
def test_every_model_name_field_name_and_help_text_is_translatable(model):
    assert isinstance(model._meta.verbose_name, Promise)
    assert isinstance(model._meta.verbose_name_plural, Promise)
    fields = [field for field in model._meta.get_fields() if not field.auto_created and hasattr(field, "verbose_name")]
    assert fields
    assert [f.name for f in fields if not isinstance(f.verbose_name, Promise)] == []
    assert [f.name for f in fields if f.help_text and not isinstance(f.help_text, Promise)] == []


@pytest.mark.parametrize(
    "filterset",
    [EventFilterSet, ActorFilterSet, RecommendationFilterSet, AssignmentFilterSet, StatusUpdateFilterSet],
    ids=lambda f: f.__name__,
)
def test_every_filter_label_and_help_text_is_translatable(filterset):
    for name, declared in filterset.declared_filters.items():
        assert isinstance(declared.label, Promise), name
        help_text = declared.extra.get("help_text")
        assert not help_text or isinstance(help_text, Promise), name


def test_every_field_of_the_reporting_form_has_a_translatable_label_and_help_text():
    for name, field in StatusUpdateForm.base_fields.items():
        assert isinstance(field.label, Promise), name
        assert not field.help_text or isinstance(field.help_text, Promise), name


def _is_translated(node):
    """`_("…")`, or `_("…") % {…}`: a message that goes through the catalogue."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        node = node.left
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "gettext_lazy")


def test_every_workflow_message_is_translatable():
    """Each rule's message (`_error`, ValidationError, PermissionDenied) is a translation call,
    so a new rule cannot slip in as English only."""
    messages = []
    for node in ast.walk(ast.parse(inspect.getsource(workflow))):
        rule = isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args
        if rule and node.func.id in ("_error", "ValidationError", "PermissionDenied"):
            message = node.args[0]
            if not isinstance(message, ast.Dict | ast.Name):  # a dict of _error()s, or STALE below
                messages.append(message)
    assert len(messages) >= 15  # the walk found the rules
    assert [ast.unparse(m) for m in messages if not _is_translated(m)] == []
    assert isinstance(workflow.STALE, Promise)
