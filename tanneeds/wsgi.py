"""WSGI entry point for gunicorn: ``gunicorn tanneeds.wsgi``."""

import logging
import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tanneeds.settings")

application = get_wsgi_application()


def _prepare_matching() -> None:
    """Load the matching model and the reference embeddings while the worker starts serving, so
    that the first search does not wait for them (a request arriving meanwhile waits its turn)."""
    from django.db import connection

    from catalogue.matching import prepare

    try:
        prepare()
    except Exception:  # a failed warm-up only means the first search does the work
        logging.getLogger(__name__).exception("Preparing the matching engine failed")
    finally:
        connection.close()


threading.Thread(target=_prepare_matching, name="prepare-matching", daemon=True).start()
