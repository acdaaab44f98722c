"""WSGI entry point (gunicorn entraide.config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.config.settings")
application = get_wsgi_application()
