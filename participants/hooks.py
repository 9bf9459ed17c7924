"""What the apps above participants add to its forms, pages and imports.

participants sits below sessions, checklists and surveys and imports none of
them: each registers here from its AppConfig.ready(). Apps register in
INSTALLED_APPS order; `order` fixes where a page section shows.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class EnrollmentExtension:
    """Fields a higher app adds to the enrolment forms, and what it saves from them.

    `add_fields(form, program)` adds fields to a ParticipantForm (and so to the
    walk-in form); `save(enrollment, cleaned_data, by)` runs inside the same
    transaction as the registration.
    """

    add_fields: Callable[[Any, Any], None]
    save: Callable[[Any, dict, Any], None]


@dataclass(frozen=True)
class PageSection:
    """A block on a participant's page: `context(request, enrollment)` feeds `template_name`."""

    order: int
    template_name: str
    context: Callable[[Any, Any], dict]


@dataclass(frozen=True)
class ImportColumn:
    """A column of participant lists that a higher app reads (checklists: "Jalur").

    `start(program, by)` returns a batch for one file with `check(value)` (an
    error message or None) and `collect(participant_id, value)`, both for filled
    cells only (of the rows kept, for collect), and `save()` once the
    participants and enrolments are written.
    """

    field: str
    label: Any
    aliases: tuple
    start: Callable[[Any, Any], Any]


enrollment_extensions: list[EnrollmentExtension] = []
participant_sections: list[PageSection] = []
import_columns: list[ImportColumn] = []


@dataclass(frozen=True)
class DataSection:
    """One table of what is held on a participant ("Data saya").

    `columns` are (key, label) pairs; each row is a dict by key. The JSON
    download uses the keys, the PDF the labels."""

    key: str
    title: Any
    columns: tuple
    rows: list


# f(participant) -> [DataSection]: what a higher app holds on her.
personal_data: list[Callable[[Any], list]] = []
# f(participant) inside the erasure's transaction: blank her free texts.
participant_erasing: list[Callable[[Any], None]] = []
