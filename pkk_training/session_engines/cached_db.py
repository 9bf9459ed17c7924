from django.contrib.sessions.backends import cached_db

from pkk_training.session_engines import PreparedRead


class SessionStore(PreparedRead, cached_db.SessionStore):
    pass
