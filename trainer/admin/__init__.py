"""Site administration pages (role ``admin``)."""
