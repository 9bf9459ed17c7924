from django.urls import path

import pkk_training.converters  # noqa: F401  (registers <sheet:…>)
from participants import import_views, views

urlpatterns = [
    path("participants/", views.participant_list, name="participant_list"),
    path("participants/new/", views.participant_create, name="participant_create"),
    path(
        "participants/<uuid:participant_id>/", views.participant_detail, name="participant_detail"
    ),
    path(
        "participants/<uuid:participant_id>/edit/",
        views.participant_edit,
        name="participant_edit",
    ),
    path(
        "participants/<uuid:participant_id>/data.json",
        views.participant_data_json,
        name="participant_data_json",
    ),
    path(
        "participants/<uuid:participant_id>/data.pdf",
        views.participant_data_pdf,
        name="participant_data_pdf",
    ),
    path(
        "participants/<uuid:participant_id>/erase/",
        views.participant_erase,
        name="participant_erase",
    ),
    path(
        "participants/<uuid:participant_id>/enroll/",
        views.participant_enroll,
        name="participant_enroll",
    ),
    path(
        "participants/<uuid:participant_id>/enrollment/",
        views.enrollment_edit,
        name="enrollment_edit",
    ),
]

urlpatterns += [
    path(
        "participants/export.<sheet:file_format>",
        views.participant_export,
        name="participant_export",
    ),
    path("participants/import/", import_views.participant_import, name="participant_import"),
    path(
        "participants/import/template.xlsx",
        import_views.participant_import_template,
        name="participant_import_template",
    ),
    path(
        "participants/import/history/",
        import_views.participant_import_history,
        name="participant_import_history",
    ),
    path(
        "participants/import/history/<int:import_id>/undo/",
        import_views.participant_import_undo,
        name="participant_import_undo",
    ),
    path(
        "participants/import/<int:pending_id>/confirm/",
        import_views.participant_import_confirm,
        name="participant_import_confirm",
    ),
    path(
        "participants/import/<int:pending_id>/skipped.csv",
        import_views.participant_import_skipped,
        name="participant_import_skipped",
    ),
]
