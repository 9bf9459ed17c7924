from django.urls import path

from surveys import public_views

urlpatterns = [
    path("p/<str:token>/", public_views.survey_personal, name="survey_personal"),
    path("<str:token>/", public_views.survey_public, name="survey_public"),
    path("<str:token>/done/", public_views.survey_public_done, name="survey_public_done"),
]
