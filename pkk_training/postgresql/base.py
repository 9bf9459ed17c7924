"""Django's PostgreSQL backend, with a health check that costs nothing while
the connection is well.

With CONN_HEALTH_CHECKS, Django checks a kept connection at each request's
first query by running `SELECT 1`: a round trip and a statement for the
database on every page and every tap. A server that ends a connection
(restart, failover, an idle timeout, pg_terminate_backend) writes its reason
to the socket and closes it, so an idle connection with nothing to read is
still open; only one with something waiting, or after an error, or inside a
transaction, gets Django's full check. What a socket cannot show, a NAT or a
proxy forgetting an idle connection without a word, takes minutes; Django
replaces a connection after CONN_MAX_AGE (60 s here) anyway.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed:
            return False
        if self.errors_occurred or connection.info.transaction_status != pq.TransactionStatus.IDLE:
            return super().is_usable()
        try:
            waiting, _writable, _failed = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):  # the socket is gone
            return False
        # Something to read on an idle connection: most likely the server's
        # goodbye, perhaps a notice; the query tells which.
        return super().is_usable() if waiting else True
