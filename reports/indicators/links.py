"""The indicators' many-to-many links (checklists, success answers) as ids."""

from collections import defaultdict

from django.db.models import Value

from reports.models import Indicator


def with_links(indicators):
    """The indicators as a list, each with `template_ids` and `success_choice_ids`:
    both many-to-many links read in one query (two prefetches would take two)."""
    indicators = list(indicators)
    if not indicators:
        return indicators
    pks = [i.pk for i in indicators]
    templates = Indicator.templates.through.objects.filter(indicator_id__in=pks).values_list(
        "indicator_id", "checklisttemplate_id", Value("template")
    )
    choices = Indicator.success_choices.through.objects.filter(indicator_id__in=pks).values_list(
        "indicator_id", "choice_id", Value("choice")
    )
    links = defaultdict(lambda: {"template": [], "choice": []})
    for indicator_id, linked_id, kind in templates.union(choices, all=True):
        links[indicator_id][kind].append(linked_id)
    for indicator in indicators:
        indicator.template_ids = links[indicator.pk]["template"]
        indicator.success_choice_ids = links[indicator.pk]["choice"]
    return indicators


def template_ids(indicator):
    """The checklists of a "checklist completed" indicator: `template_ids` when
    set (see with_links; an unsaved certificate rule names them there)."""
    if hasattr(indicator, "template_ids"):
        return list(indicator.template_ids)
    if indicator.pk is None:
        return []
    return [t.pk for t in indicator.templates.all()]


def success_choice_ids(indicator):
    if hasattr(indicator, "success_choice_ids"):
        return indicator.success_choice_ids
    return [c.pk for c in indicator.success_choices.all()]
