from django.urls import path

from reports import views

urlpatterns = [
    path("report/", views.program_report, name="program_report"),
    path("report.pdf", views.program_report_pdf, name="program_report_pdf"),
    path("report.docx", views.program_report_docx, name="program_report_docx"),
    path("report/issue/", views.report_issue, name="report_issue"),
    path("report/versions/<int:number>.pdf", views.report_version_pdf, name="report_version_pdf"),
    path("report/settings/", views.report_settings, name="report_settings"),
    path("report/signatories/", views.signatory_add, name="signatory_add"),
    path(
        "report/signatories/<int:signatory_id>/delete/",
        views.signatory_delete,
        name="signatory_delete",
    ),
    path("report/logo", views.report_logo, name="report_logo"),
    path("report/photos/", views.photo_add, name="photo_add"),
    path("report/photos/<int:photo_id>", views.report_photo, name="report_photo"),
    path("report/photos/<int:photo_id>/edit/", views.photo_edit, name="photo_edit"),
    path("report/photos/<int:photo_id>/move/", views.photo_move, name="photo_move"),
    path("report/photos/<int:photo_id>/delete/", views.photo_delete, name="photo_delete"),
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/copy/", views.indicators_copy, name="indicators_copy"),
    path("indicators/<int:indicator_id>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:indicator_id>/delete/", views.indicator_delete, name="indicator_delete"),
]

organization_urlpatterns = [
    path("rollup/", views.organization_rollup, name="organization_rollup"),
    path(
        "rollup.pdf",
        views.organization_rollup,
        {"file_format": "pdf"},
        name="organization_rollup_pdf",
    ),
    path(
        "rollup.xlsx",
        views.organization_rollup,
        {"file_format": "xlsx"},
        name="organization_rollup_xlsx",
    ),
    path("rollup/job/", views.organization_rollup_job, name="organization_rollup_job"),
]
