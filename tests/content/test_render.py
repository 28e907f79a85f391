"""Rendering: safe HTML, resolved links, callouts, the contacts placeholder."""

from __future__ import annotations

from trainer.content.render import render_module, word_count


def test_script_and_event_handlers_are_removed():
    (html,) = render_module(
        '<script>alert(1)</script>\n\n<img src="x" onerror="alert(2)">\n\n'
        '[click](javascript:alert(3))\n\n<p style="color:red" onclick="x()">styled</p>',
        "core",
    )
    assert "<script" not in html and "alert(1)" not in html
    assert "onerror" not in html and "onclick" not in html and "style=" not in html
    assert "javascript:" not in html
    assert "styled" in html


def test_module_links_and_images_point_at_real_addresses():
    (html,) = render_module(
        "See [indicators](module:indicators) and [the core](module:core/definitions).\n\n"
        "![A map](images/map.png)",
        "health",
    )
    assert 'href="/courses/health/modules/indicators"' in html
    assert 'href="/courses/core/modules/definitions"' in html
    assert 'src="/courses/health/media/images/map.png"' in html
    assert 'alt="A map"' in html


def test_callouts_tables_and_heading_anchors():
    (html,) = render_module(
        '!!! case "Case: the clinic"\n    She came in with her cousin.\n\n'
        "## Signs to notice\n\n| sign | why |\n| --- | --- |\n| no papers | control |\n",
        "health",
    )
    assert '<div class="admonition case">' in html
    assert '<p class="admonition-title">Case: the clinic</p>' in html
    assert '<h2 id="signs-to-notice">Signs to notice</h2>' in html
    assert '<table tabindex="0">' in html and "<td>no papers</td>" in html


def test_contacts_placeholder_splits_the_module():
    parts = render_module("Before.\n\n[[contacts]]\n\nAfter.", "core")
    assert parts == ("<p>Before.</p>", "<p>After.</p>")
    assert len(render_module("No contacts here.", "core")) == 1


def test_word_count_counts_words_not_punctuation():
    assert word_count("A survivor's story — told well, with care.") == 7
