from django.contrib.sessions.backends import db

from pkk_training.session_engines import PreparedRead


class SessionStore(PreparedRead, db.SessionStore):
    pass
