"""Every link and image in a module that points inside the course must lead somewhere.

A learner who follows a broken link meets a 404 in the middle of a lesson, and an
author who mistypes a slug or a heading sees nothing wrong in the Markdown. So
``trainer content check`` reads each module's links the way the page will: Markdown
links and images (inline and reference definitions) and HTML ``<a href>`` and
``<img src>``, outside code, and checks what each address points at:

- ``module:SLUG``, ``module:COURSE/SLUG`` and either with ``#heading``: the module
  exists, and so does the heading in the variant a reader of that language sees;
- ``#heading``: a heading of the same module;
- ``/courses/COURSE/modules/SLUG`` and ``/courses/COURSE/media/…``: the same;
- a relative path: an image that is a file in the course's ``images/`` folder
  (checked with the module, ``courses.check_images``); anything else would lead
  nowhere on the site, and the message says what to write instead;
Addresses outside the site (``https://…``) are not fetched, and links with a
scheme the page does not allow (``javascript:``) are left to the sanitiser, which
removes them (``render.sanitise``; probed in ``tests/security``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from trainer.content.model import Course, Module
from trainer.content.reading import Reader
from trainer.content.render import LOCAL_IMAGE

#: ``[text](target "title")`` and ``![alt](target)``; nested brackets one level deep.
INLINE = re.compile(
    r"(?P<image>!?)\[(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*\]"
    r"\((?P<inside>\s*(?P<target><[^>]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)[^)]*)\)"
)
#: ``[label]: target`` at the start of a line.
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(?P<target><[^>]*>|\S+)")
#: ``<a href="…">`` and ``<img src="…">`` written as HTML.
HTML = re.compile(
    r"<(?P<tag>a|img)\b[^>]*?\b(?:href|src)\s*=\s*[\"'](?P<target>[^\"']*)[\"']", re.IGNORECASE
)
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+\1")
FENCE = re.compile(r"^\s{0,3}(```|~~~)")
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
MODULE_TARGET = re.compile(r"^module:([a-z0-9-]+)(?:/([a-z0-9-]+))?(?:#([\w-]+))?$")
SITE_MODULE = re.compile(r"^/courses/([a-z0-9-]+)/modules/([a-z0-9-]+)/?(?:#([\w-]+))?$")
SITE_MEDIA = re.compile(r"^/courses/([a-z0-9-]+)/media/(.+)$")
HEADING_ID = re.compile(r"<h[2-4][^>]*\sid=\"([^\"]+)\"")


@dataclass(frozen=True)
class Link:
    """One address in a module's source, where it stands and how it was written."""

    line: int
    target: str
    image: bool
    #: Everything between the parentheses of a Markdown link (address and title).
    written: str
    #: Whether ``courses.check_images`` already checked it as a local image.
    image_checked: bool = False
    #: Written as an HTML tag rather than Markdown (``module:`` is rewritten only in Markdown).
    html: bool = False


def module_links(path: Path) -> Iterator[Link]:
    """Every link and image in the module file at ``path``, front matter and code aside."""
    fenced = in_front_matter = False
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if raw.strip() == "+++" and (number == 1 or in_front_matter):
            in_front_matter = number == 1
            continue
        if in_front_matter:
            continue
        if FENCE.match(raw):
            fenced = not fenced
            continue
        if fenced:
            continue
        line = CODE_SPAN.sub("", raw)
        checked = {m.start() for m in LOCAL_IMAGE.finditer(line)}
        for match in INLINE.finditer(line):
            yield Link(
                number,
                match["target"].strip("<>"),
                bool(match["image"]),
                match["inside"],
                image_checked=match.start() in checked,
            )
        reference = REFERENCE.match(line)
        if reference:
            target = reference["target"].strip("<>")
            yield Link(number, target, False, target)
        for match in HTML.finditer(line):
            image = match["tag"].lower() == "img"
            yield Link(number, match["target"], image, match["target"], html=True)


def heading_ids(module: Module) -> set[str]:
    return {found for part in module.html_parts for found in HEADING_ID.findall(part)}


class LinkChecker:
    """Checks the links of every module, given every course in every language."""

    def __init__(
        self, reader: Reader, courses: dict[str, Course], variants: dict[str, dict[str, Course]]
    ) -> None:
        self.reader = reader
        self.courses = courses
        self.variants = variants

    def check_all(self) -> None:
        for found in self.variants.values():
            for course in found.values():
                for module in course.modules:
                    self.check_module(course, module)

    def check_module(self, course: Course, module: Module) -> None:
        path = Path(module.path)
        for link in module_links(path):
            message = self.problem_with(course, module, link)
            if message:
                self.reader.problem(path, link.line, message)

    def problem_with(self, course: Course, module: Module, link: Link) -> str | None:
        """What is wrong with ``link``, or None when it leads somewhere."""
        target = link.target
        if not target:
            return "empty link: write the address between the parentheses"
        if target.startswith("#"):
            return self._anchor(course.language, course.slug, module.slug, target[1:])
        scheme = SCHEME.match(target)
        if scheme and scheme[1].lower() == "module":
            return self._module_link(course, link)
        if scheme:
            return None  # outside the course; the sanitiser removes schemes it does not allow
        if target.startswith("//"):
            return None
        if target.startswith("/"):
            return self._site_path(course, target)
        return self._relative(course, module, link)

    def _module_link(self, course: Course, link: Link) -> str | None:
        match = MODULE_TARGET.match(link.target)
        if match is None or link.image:
            return (
                f"malformed module link {link.target!r}: write module:SLUG, module:COURSE/SLUG "
                "or either with #heading, in lower case"
            )
        if link.html:
            return (
                f"module link {link.target!r} works only in Markdown: write [text]({link.target})"
            )
        if link.written != link.target:
            return f"module link {link.target!r} takes nothing after its address (no title)"
        first, second, anchor = match.groups()
        target_course, target = (first, second) if second else (course.slug, first)
        return self._module(course.language, target_course, target, anchor)

    def _module(self, language: str, course_slug: str, slug: str, anchor: str | None) -> str | None:
        if course_slug in self.reader.incomplete_courses:
            return None  # its own problems are reported; links into it wait for a fix
        linked = self.courses.get(course_slug)
        if linked is None or linked.module(slug) is None:
            return f"broken link: no module {course_slug}/{slug}"
        if anchor is None:
            return None
        return self._anchor(language, course_slug, slug, anchor)

    def _anchor(self, language: str, course_slug: str, slug: str, anchor: str) -> str | None:
        """The heading must exist in the variant a reader of ``language`` is shown."""
        found = self.variants.get(course_slug, {})
        course = found.get(language) or self.courses.get(course_slug)
        module = course.module(slug) if course else None
        if module is None or anchor in heading_ids(module):
            return None
        known = ", ".join(sorted(heading_ids(module))) or "none"
        return f"broken link: no heading #{anchor} in {course_slug}/{slug} (headings: {known})"

    def _site_path(self, course: Course, target: str) -> str | None:
        module_match = SITE_MODULE.match(target)
        if module_match:
            return self._module(course.language, *module_match.groups())
        media = SITE_MEDIA.match(target)
        if media:
            folder = self._course_folder(media[1])
            if folder is None or not _inside(folder, media[2]):
                return f"broken link: no file {target}"
        return None

    def _relative(self, course: Course, module: Module, link: Link) -> str | None:
        if link.image:
            if link.image_checked:
                return None  # courses.check_images reported it if the file is missing
            return (
                f"image {link.target!r} is not shown: write ![description]({link.target}) "
                "with nothing after the path"
            )
        path_part = link.target.split("#")[0]
        linked = (Path(module.path).parent / path_part).resolve()
        if linked.suffix == ".md" and linked.is_file():
            return (
                f"link to the file {link.target!r} leads nowhere on the site: "
                "link to a module with module:SLUG or module:COURSE/SLUG"
            )
        return (
            f"relative link {link.target!r} leads nowhere on the site: use module:SLUG for a "
            "module, #heading for a heading, or a full https:// address"
        )

    def _course_folder(self, course_slug: str) -> Path | None:
        course = self.courses.get(course_slug)
        if course is None or not course.modules:
            return None
        return Path(course.modules[0].path).resolve().parent.parent


def _inside(folder: Path, relative: str) -> bool:
    if not relative.startswith("images/"):
        return False
    path = (folder / relative).resolve()
    return path.is_file() and folder in path.parents


def check_links(
    reader: Reader, courses: dict[str, Course], variants: dict[str, dict[str, Course]]
) -> None:
    """Report every link or image of every module (all languages) that leads nowhere."""
    LinkChecker(reader, courses, variants).check_all()
