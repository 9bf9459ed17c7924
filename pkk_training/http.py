def posted(request):
    """The POST data for a bound form, or None on GET.

    `request.POST or None` would leave a form unbound, and so silent, when a
    POST arrives with no fields at all; this one shows what is missing.
    """
    return request.POST if request.method == "POST" else None
