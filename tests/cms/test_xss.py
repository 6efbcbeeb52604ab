"""A script payload in a challenge title is shown as text on its page and the community home."""

SCRIPT = "<script>alert('xss')</script>"


def test_challenge_titles_are_escaped(client, make_challenge, pages):
    challenge = make_challenge(title=SCRIPT)
    for url in (challenge.url, pages.url):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(" in html
