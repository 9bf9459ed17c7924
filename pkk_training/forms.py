from django import forms
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def run_service(form, service, **kwargs):
    """Call a service; a ValidationError it raises lands on the form, not in a 500.

    Returns the service's result, or None when it refused (the form then has errors).
    """
    try:
        return service(**kwargs)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def add_service_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def date_widget():
    """The native date picker, which a cheap phone shows well."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def time_widget():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


# The largest id a database column holds (SQLite INTEGER, PostgreSQL bigint).
MAX_ID = 2**63 - 1


class QueryForm(forms.Form):
    """A page's GET parameters. Every field is optional: a missing or bad
    value falls back to the field's empty value."""


class PageForm(QueryForm):
    page = forms.IntegerField(required=False, min_value=1, max_value=10**6)


def query_params(request, form_class, *, data=None, **kwargs):
    """The GET parameters of `request` (or `data`, e.g. the same filters
    posted) cleaned by `form_class`.

    A bad value (a NUL, a 10,000-character string, a year 99999999999) is
    dropped with a message on the page instead of reaching the database.
    """
    form = form_class(request.GET if data is None else data, **kwargs)
    form.is_valid()
    cleaned = dict(form.cleaned_data)
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        if field is not None:
            cleaned[name] = field.clean(None)
        messages.warning(
            request,
            _("“%(name)s” in the address was ignored: %(errors)s")
            % {"name": name, "errors": " ".join(errors)},
        )
    return cleaned


class LoginForm(AuthenticationForm):
    # Django's Indonesian message reads "nama pengguna nama pengguna": it puts
    # the field's name into a sentence that already says it.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy(
            "The username or password is wrong. Capital and small letters count."
        ),
    }
