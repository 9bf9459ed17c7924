from django.urls import path

from certificates import views

urlpatterns = [
    path("certificates/", views.certificate_list, name="certificate_list"),
    path(
        "certificates/settings/",
        views.certificate_settings_edit,
        name="certificate_settings",
    ),
    path("certificates/generate/", views.certificates_generate, name="certificates_generate"),
    path("certificates/<int:certificate_id>.pdf", views.certificate_pdf, name="certificate_pdf"),
    path(
        "certificates/<int:certificate_id>/revoke/",
        views.certificate_revoke,
        name="certificate_revoke",
    ),
    path("cards.pdf", views.cards_pdf, name="cards_pdf"),
    path("sessions/<int:session_id>/card-scan/", views.card_scan, name="card_scan"),
]

public_urlpatterns = [
    path("<str:code>/", views.certificate_verify, name="certificate_verify"),
]
