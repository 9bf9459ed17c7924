from django.urls import path

from participants import views

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
