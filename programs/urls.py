from django.urls import path

from programs import views

urlpatterns = [
    path("edit/", views.program_edit, name="program_edit"),
    path("offline-pages.json", views.program_offline_pages, name="program_offline_pages"),
    path("members/", views.program_members, name="program_members"),
    path("members/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path(
        "members/<int:membership_id>/password-reset/",
        views.member_password_reset,
        name="member_password_reset",
    ),
]
