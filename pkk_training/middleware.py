import re
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import resolve_url

# Everything the pages need is served by us: no CDN, no inline script or
# style. htmx is configured (base.html) not to inject its indicator styles.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The admin ships inline scripts of its own; it is staff-only.
        match = getattr(request, "resolver_match", None)
        if not (match and match.app_name == "admin"):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


OUTBOX_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class OutboxReceiptMiddleware:
    """Answer a phone's outbox with the id of the entry it sent.

    The phone deletes its copy only on a 2xx that carries this receipt: a
    captive Wi-Fi portal or a proxy that answers 200 to anything does not.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        entry = request.headers.get("X-Outbox-Id", "")
        if not OUTBOX_ID.fullmatch(entry):
            return response
        if response.status_code in (301, 302, 303) and request.method == "POST":
            response = self._redirect_as_answer(response)
        response.headers["X-Outbox-Id"] = entry
        return response

    @staticmethod
    def _redirect_as_answer(response):
        """A form saved answers with a redirect, which a phone's fetch cannot read.

        A redirect to the login page means the session ended: 401, the entry
        waits for the next login. Any other is the form's success.
        """
        location = response["Location"]
        if urlsplit(location).path == resolve_url(settings.LOGIN_URL):
            return HttpResponse(status=401, content_type="text/plain")
        saved = HttpResponse(status=200, content_type="text/plain")
        saved["X-Outbox-Location"] = location
        return saved
