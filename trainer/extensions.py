"""Flask extensions, created once and bound to each app by ``create_app``."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
# The storage comes from RATELIMIT_STORAGE_URI: memory for one process,
# Redis when several processes must share the counts.
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)
