"""Which file a course media address may serve: only a real file under the course's ``images/``.

The address is checked as a list of plain path segments before anything touches
the disk: no ``..`` or ``.``, no empty segment (``//``, a leading ``/``), no
backslash, no percent sign (a second round of decoding must find nothing to
decode), no NUL. Then every step from the course folder down is looked at with
``lstat``, so a symbolic link anywhere on the way is refused rather than
followed, and the resolved path must still lie inside ``images/``. Anything
else is "not found": the answer never says which rule refused it.
"""

from __future__ import annotations

import stat
from pathlib import Path

MEDIA_FOLDER = "images"
_FORBIDDEN_CHARACTERS = ("\\", "%", "\x00", ":")


def media_segments(filename: str) -> list[str] | None:
    """The plain segments of ``filename`` below ``images/``, or None if it is not a plain path."""
    if any(character in filename for character in _FORBIDDEN_CHARACTERS):
        return None
    segments = filename.split("/")
    if len(segments) < 2 or segments[0] != MEDIA_FOLDER:
        return None
    if any(segment in ("", ".", "..") for segment in segments):
        return None
    return segments


def course_media_file(courses_dir: Path, course_slug: str, filename: str) -> Path | None:
    """The file to serve for ``/courses/<course_slug>/media/<filename>``, or None (answer 404)."""
    segments = media_segments(filename)
    if segments is None:
        return None
    path = Path(courses_dir)
    for segment in (course_slug, *segments):
        path = path / segment
        try:
            mode = path.lstat().st_mode
        except OSError:  # missing, or a name the file system refuses
            return None
        if stat.S_ISLNK(mode):
            return None
    if not stat.S_ISREG(mode):
        return None
    images = (Path(courses_dir) / course_slug / MEDIA_FOLDER).resolve()
    real = path.resolve()
    return real if images in real.parents else None
