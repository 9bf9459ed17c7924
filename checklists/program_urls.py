from django.urls import path

from checklists import progress_views as views

participant = "participants/<uuid:participant_id>/"

urlpatterns = [
    path("checklists/", views.program_checklists, name="program_checklists"),
    path("checklists/assign/", views.tracks_assign_bulk, name="tracks_assign_bulk"),
    path("checklists/<int:template_id>/", views.checklist_grid, name="checklist_grid"),
    # The grid's short links (checklists/grid_markup.py).
    path(
        "checklists/<int:template_id>/<int:track_id>/<int:step_id>/",
        views.grid_link,
        name="grid_chip",
    ),
    path(f"{participant}checklists/", views.participant_checklists, name="participant_checklists"),
    path(f"{participant}checklists/assign/", views.track_assign, name="track_assign"),
    path(
        f"{participant}checklists/<int:track_id>/remove/", views.track_remove, name="track_remove"
    ),
    path(
        f"{participant}checklists/<int:track_id>/steps/<int:step_id>/",
        views.progress_mark,
        name="progress_mark",
    ),
    path(f"{participant}mentoring/", views.mentoring_add, name="mentoring_add"),
]
