import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pkk_training.settings")
application = get_wsgi_application()

# What the server loaded to start lives as long as it does: a full garbage
# collection need not scan it again. Without this, one request in ten of a
# 500-person checklist grid paid a 50 ms full collection over the startup's objects.
gc.freeze()
