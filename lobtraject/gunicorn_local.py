"""gunicorn settings for `make run` and `make serve`: the local install on SQLite.

One process with threads: a room full of phones sends many requests at once,
SQLite takes one writer at a time (the database settings make writers wait for
the lock), and the in-process cache, which holds the rate-limit counters, is
shared by the threads of one process. Production runs gunicorn with several
processes on PostgreSQL and Redis (docker-compose.yml).
"""

import os

bind = os.environ.get("LOB_BIND", "127.0.0.1:8000")
workers = 1
worker_class = "gthread"
threads = int(os.environ.get("LOB_THREADS", "8"))
timeout = 60
accesslog = "-"
