from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from certificates import urls as certificate_urls
from checklists import program_urls as checklist_program_urls
from checklists import urls as checklist_urls
from jobs import urls as job_urls
from participants import urls as participant_urls
from pkk_training import offline
from pkk_training.forms import LoginForm
from programs import urls as programs_urls
from programs import views as program_views
from reports import urls as report_urls
from sessions import urls as session_urls
from sessions import views as session_views
from surveys import public_urls as survey_public_urls
from surveys import urls as survey_urls

# Everything inside a program lives under its slug, so one access helper
# guards the whole subtree.
program_urls = [
    *programs_urls.urlpatterns,
    *session_urls.urlpatterns,
    *participant_urls.urlpatterns,
    *checklist_program_urls.urlpatterns,
    *survey_urls.urlpatterns,
    *report_urls.urlpatterns,
    *certificate_urls.urlpatterns,
]

urlpatterns = [
    path("", session_views.home, name="home"),
    # At the root so that it may control every page.
    path("sw.js", offline.service_worker, name="service_worker"),
    path("offline/", offline.offline, name="offline"),
    path("programs/new/", program_views.program_create, name="program_create"),
    path("programs/<slug:program_slug>/", include(program_urls)),
    path("regions/fields/", program_views.region_fields, name="region_fields"),
    path("regions/search/", program_views.region_search, name="region_search"),
    path("checklists/", include(checklist_urls.urlpatterns)),
    path("jobs/", include(job_urls.urlpatterns)),
    path(
        "organizations/<slug:organization_slug>/audit/",
        program_views.organization_audit,
        name="organization_audit",
    ),
    path(
        "organizations/<slug:organization_slug>/locked/",
        program_views.organization_locked_accounts,
        name="organization_locked_accounts",
    ),
    path(
        "organizations/<slug:organization_slug>/locked/<int:user_id>/unlock/",
        program_views.account_unlock,
        name="account_unlock",
    ),
    path("organizations/<slug:organization_slug>/", include(report_urls.organization_urlpatterns)),
    # The participants' own survey pages: public, reached by link or QR code.
    path("s/", include(survey_public_urls.urlpatterns)),
    # A certificate's public check, reached from the QR code printed on it.
    path("v/", include(certificate_urls.public_urlpatterns)),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm
        ),
        name="login",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        login_not_required(
            auth_views.PasswordResetConfirmView.as_view(
                template_name="registration/password_reset_confirm.html",
                success_url="/accounts/reset/done/",
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        login_not_required(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="registration/password_reset_complete.html"
            )
        ),
        name="password_reset_complete",
    ),
    path("accounts/logout/", login_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Changing the language is a change of state: POST only.
    path("i18n/setlang/", login_not_required(require_POST(set_language)), name="set_language"),
    path("admin/", admin.site.urls),
]
