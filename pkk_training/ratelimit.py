"""One small rate limiter on Django's cache (locmem, or Redis when REDIS_URL is set)."""

from django.core.cache import cache


def rate_limit_hit(key, *, limit, window):
    """Count one attempt under `key`; False once more than `limit` fall in `window` seconds.

    Fixed windows: the first attempt starts the window, which ends `window`
    seconds later whatever happens in it (a blocked caller cannot extend it).
    """
    cache_key = f"ratelimit:{key}"
    if cache.add(cache_key, 1, timeout=window):
        return limit >= 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window)
        count = 1
    return count <= limit


def rate_limit_exceeded(key, *, limit):
    """Whether `key` is already over `limit` in its window (without counting an attempt)."""
    return (cache.get(f"ratelimit:{key}") or 0) >= limit


def client_ip(request):
    """The client's address as the login lockout sees it (proxy settings included)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "unknown"


def too_many_requests(request):
    """The Indonesian "try again later" page, 429."""
    from django.shortcuts import render

    return render(request, "429.html", status=429)
