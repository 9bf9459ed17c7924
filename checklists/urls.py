from django.urls import path

from checklists import views

urlpatterns = [
    path("", views.template_list, name="template_list"),
    path("new/", views.template_create, name="template_create"),
    path("<int:template_id>/", views.template_detail, name="template_detail"),
    path("<int:template_id>/edit/", views.template_edit, name="template_edit"),
    path("<int:template_id>/copy/", views.template_copy, name="template_copy"),
    path("<int:template_id>/steps/new/", views.step_create, name="step_create"),
    path("<int:template_id>/steps/<int:step_id>/edit/", views.step_edit, name="step_edit"),
    path("<int:template_id>/steps/<int:step_id>/move/", views.step_move, name="step_move"),
    path("<int:template_id>/steps/<int:step_id>/remove/", views.step_remove, name="step_remove"),
    path("<int:template_id>/reasons/", views.reason_list, name="reason_list"),
    path(
        "<int:template_id>/reasons/<int:reason_id>/archive/",
        views.reason_archive,
        name="reason_archive",
    ),
]
