from community.markdown import render_markdown


def test_renders_basic_markdown():
    html = render_markdown("**bold** and *soft*\n\n- one\n- two")
    assert "<strong>bold</strong>" in html
    assert "<em>soft</em>" in html
    assert "<li>one</li>" in html


def test_raw_html_and_scripts_are_escaped_not_run():
    html = render_markdown('<script>alert(1)</script><img src=x onerror="alert(2)">')
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html


def test_links_get_nofollow_ugc_and_unsafe_schemes_are_dropped():
    html = render_markdown("[shop](https://example.com) [bad](javascript:alert(1))")
    assert 'href="https://example.com"' in html
    assert 'rel="nofollow ugc"' in html
    assert 'href="javascript' not in html


def test_member_headings_never_outrank_the_page():
    html = render_markdown("# Big\n\n## Smaller")
    assert "<h1>" not in html and "<h2>" not in html
    assert "<h3>Big</h3>" in html and "<h4>Smaller</h4>" in html
