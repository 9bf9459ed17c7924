from django.urls import path

import pkk_training.converters  # noqa: F401  (registers <sheet:…>)
from sessions import attendance_views, views

session = "sessions/<int:session_id>/"

urlpatterns = [
    path("", views.program_detail, name="program_detail"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:session_id>/", views.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:session_id>/delete/", views.session_delete, name="session_delete"),
    path(f"{session}attendance/mark/", attendance_views.attendance_mark, name="attendance_mark"),
    path(
        f"{session}attendance/mark-all/",
        attendance_views.attendance_mark_all,
        name="attendance_mark_all",
    ),
    path(
        f"{session}attendance/mark-all/undo/",
        attendance_views.attendance_mark_all_undo,
        name="attendance_mark_all_undo",
    ),
    path(
        f"{session}attendance/walk-in/",
        attendance_views.attendance_walk_in,
        name="attendance_walk_in",
    ),
    path(
        f"{session}attendance/walk-in/<uuid:participant_id>/",
        attendance_views.attendance_walk_in_known,
        name="attendance_walk_in_known",
    ),
    path(
        f"{session}attendance/history/",
        attendance_views.attendance_history,
        name="attendance_history",
    ),
    path(
        f"{session}daftar-hadir.pdf",
        attendance_views.attendance_sheet_pdf,
        name="attendance_sheet_pdf",
    ),
    path(
        f"{session}attendance.<sheet:file_format>",
        attendance_views.attendance_export,
        name="attendance_export",
    ),
    path("attendance/", attendance_views.program_attendance, name="program_attendance"),
]
