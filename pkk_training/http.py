import functools


def posted(request):
    """The POST data for a bound form, or None on GET.

    `request.POST or None` would leave a form unbound, and so silent, when a
    POST arrives with no fields at all; this one shows what is missing.
    """
    return request.POST if request.method == "POST" else None


OFFLINE_PAGE_HEADER = "X-Offline-Page"


def offline_page(view):
    """Mark a page the service worker may keep for use with no signal.

    Only such pages are stored on the phone (they hold participants' names),
    and the store is emptied at logout.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        request.offline_page = True  # base.html tells the page's script
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            response[OFFLINE_PAGE_HEADER] = "1"
        return response

    return wrapper
