"""Places in the questionnaire's pages where the apps built on it add their own links and buttons.

``assessments`` knows nothing of the apps above it (``scoring``, ``reports``): each adds its own
templates from its ``AppConfig.ready()`` with :func:`slot_add`, and a page renders them with
``{% slot "name" %}`` (``assessments/templatetags/slots.py``) in the page's own context. Take an
app out of ``INSTALLED_APPS`` and its links and buttons go with it. An app that offers slots in
its own pages declares them with :func:`slot_declare`.
"""

from __future__ import annotations

# The slots of this app's pages: where each appears, and what its templates find in the context.
SLOTS = {
    "assessment_nav": "the side navigation of an assessment, after its sections (assessment)",
    "assessment_actions": "the buttons of an assessment's overview (assessment, rights)",
    "home_card": "the next-step line of an assessment's card on the home page (card)",
    "staff_home": "the staff part of the home page, under the cycles (cycles)",
}

_templates: dict[str, list[str]] = {name: [] for name in SLOTS}


def slot_declare(name: str, description: str) -> None:
    """Offer the slot ``name`` in a page of another app (``description``: where, and what its
    templates find in the context)."""
    SLOTS.setdefault(name, description)
    _templates.setdefault(name, [])


def slot_add(name: str, template: str) -> None:
    """Show ``template`` in the slot ``name`` of every page that has it (once, however often
    it is called)."""
    if name not in SLOTS:
        raise ValueError(f"No slot “{name}”; the slots are {', '.join(SLOTS)}.")
    if template not in _templates[name]:
        _templates[name].append(template)


def slot_templates(name: str) -> tuple[str, ...]:
    """The templates added to the slot ``name``, in the order they were added."""
    return tuple(_templates[name])
