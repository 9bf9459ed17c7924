from django.urls import path

from surveys import public_views

urlpatterns = [
    path("<str:token>/", public_views.survey_public, name="survey_public"),
    path("<str:token>/done/", public_views.survey_public_done, name="survey_public_done"),
]
