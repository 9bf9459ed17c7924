"""Django's database session engines, reading a session with one statement
compiled once (pkk_training.prepared) instead of building the ORM query on
every request: every page and every tap reads its session first.

Sessions are stored exactly as Django stores them; SESSION_ENGINE names
`pkk_training.session_engines.db` or, with Redis, `.cached_db`.
"""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.models import Session
from django.db.models import CharField, DateTimeField
from django.utils import timezone

from pkk_training import auth_backends
from pkk_training.prepared import PreparedQuery, RowModels

_FIELDS = RowModels((Session, "", ("session_key", "session_data", "expire_date")))
_LIVE_SESSION = PreparedQuery(
    lambda P, kind: Session.objects.filter(
        session_key=P("key", CharField()), expire_date__gt=P("now", DateTimeField())
    ).values_list(*_FIELDS.columns)
)


class PreparedRead:
    """Mixed into a database SessionStore: what `_get_session_from_db` answers
    (the unexpired row, or None and the key forgotten), from one prepared read;
    a session logged in through Django's ModelBackend reads as logged in
    through ours (pkk_training.auth_backends), which reads the user the same way."""

    def load(self):
        data = super().load()
        if data.get(BACKEND_SESSION_KEY) == auth_backends.DJANGOS:
            data[BACKEND_SESSION_KEY] = auth_backends.OURS  # logged in before the upgrade
        return data

    def _get_session_from_db(self):
        rows = _LIVE_SESSION.rows(key=self.session_key, now=timezone.now())
        if not rows:
            self._session_key = None
            return None
        [session], _rest = _FIELDS.read(rows[0])
        return session
