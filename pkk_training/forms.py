from django import forms
from django.core.exceptions import ValidationError


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
