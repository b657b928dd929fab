import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iscm_portal.settings.production")
application = get_wsgi_application()
# Import every view (and what they import: the PDF engine, spreadsheets) now, not on each worker's first request:
# on a busy machine that first request took seconds, past gunicorn's worker timeout. With `--preload` it is done
# once, before the workers are forked.
import_module(settings.ROOT_URLCONF)
