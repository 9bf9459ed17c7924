from django.urls import path

from sessions import views

urlpatterns = [
    path("", views.program_detail, name="program_detail"),
    path("edit/", views.program_edit, name="program_edit"),
    path("members/", views.program_members, name="program_members"),
    path("members/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:session_id>/", views.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:session_id>/delete/", views.session_delete, name="session_delete"),
]
