"""Links that open WhatsApp with a message typed in ("Bagikan lewat WhatsApp")."""

from urllib.parse import quote


def wa_link(text, phone=""):
    """wa.me to one number (E.164, the "+" dropped) or, without one, to a chat of
    the sender's choosing. The text is URL-encoded whole."""
    digits = "".join(ch for ch in str(phone or "") if ch.isdigit())
    return f"https://wa.me/{digits}?text={quote(text, safe='')}"
