from django.urls import path

import pkk_training.converters  # noqa: F401  (registers <sheet:…>)
from surveys import views

survey = "surveys/<int:survey_id>/"
question = f"{survey}questions/<int:question_id>/"

urlpatterns = [
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/start/", views.survey_start, name="survey_start"),
    path("surveys/new/", views.survey_create, name="survey_create"),
    path(survey, views.survey_detail, name="survey_detail"),
    path(f"{survey}edit/", views.survey_edit, name="survey_edit"),
    path(f"{survey}qr.svg", views.survey_qr, name="survey_qr"),
    path(f"{survey}qr.png", views.survey_qr_png, name="survey_qr_png"),
    path(f"{survey}questions/new/", views.question_create, name="question_create"),
    path(f"{question}edit/", views.question_edit, name="question_edit"),
    path(f"{question}move/", views.question_move, name="question_move"),
    path(f"{question}delete/", views.question_delete, name="question_delete"),
    path(f"{survey}answer/", views.survey_respondents, name="survey_respondents"),
    path(f"{survey}answer/<uuid:participant_id>/", views.survey_answer, name="survey_answer"),
    path(
        f"{survey}answer/<uuid:participant_id>/link/",
        views.survey_personal_link,
        name="survey_personal_link",
    ),
    path(f"{survey}held/", views.survey_held, name="survey_held"),
    path(f"{survey}held/<int:held_id>/", views.survey_held_review, name="survey_held_review"),
    path(f"{survey}results/", views.survey_results, name="survey_results"),
    path(f"{survey}answers.<sheet:file_format>", views.survey_export, name="survey_export"),
]
