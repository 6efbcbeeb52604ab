"""A member posts, answers, reviews and uploads; a moderator hides a reported photo."""

import io

from PIL import Image

from community import demo
from community.models import Photo, Report, Review, Topic
from tests.e2e.conftest import login, screenshot

COMMUNITY = "ember-roasters"


def png_file(tmp_path):
    path = tmp_path / "espresso.png"
    image = Image.new("RGB", (320, 240), (120, 70, 40))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_member_contributes_and_moderator_hides_a_reported_photo(server, new_page, tmp_path):
    demo.seed()
    page = new_page()
    login(page, server, "alice", demo.DEMO_PASSWORD)

    # Post a topic.
    page.goto(f"{server}/c/{COMMUNITY}/")
    page.get_by_role("link", name="New topic").click()
    page.get_by_label("Title").fill("Cold brew ratios that work")
    page.get_by_label("Details").fill("I use **1:8** for 16 hours. Yours?")
    page.get_by_role("button", name="Post topic").click()
    page.get_by_role("heading", level=1, name="Cold brew ratios that work").wait_for()
    assert page.locator(".post-body strong", has_text="1:8").is_visible()

    # Answer a question.
    question = Topic.objects.get(title="How long do the beans stay fresh after opening?")
    page.goto(f"{server}{question.get_absolute_url()}")
    answer = "About three weeks if you squeeze the air out."
    page.get_by_role("textbox", name="Your answer").fill(answer)
    page.get_by_role("button", name="Post answer").click()
    page.get_by_text(answer).wait_for()

    # Write a review.
    page.goto(f"{server}/c/{COMMUNITY}/products/ethiopia-guji/")
    page.get_by_role("radio", name="4 stars").check()
    page.get_by_label("Title").fill("Peachy and bright")
    page.get_by_label("Your review").fill("Best as a V60 with a slow pour.")
    page.get_by_role("button", name="Post review").click()
    page.get_by_role("heading", name="Peachy and bright").wait_for()
    assert Review.objects.filter(author__username="alice", product__slug="ethiopia-guji").exists()

    # Upload a photo.
    page.goto(f"{server}/c/{COMMUNITY}/gallery/")
    page.get_by_role("link", name="Upload a photo").click()
    page.get_by_label("Photo", exact=True).set_input_files(str(png_file(tmp_path)))
    page.get_by_label("Caption").fill("Cold brew in the fridge")
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("heading", name="Cold brew in the fridge").wait_for()
    assert Photo.objects.filter(caption="Cold brew in the fridge", author__username="alice")
    screenshot(page, "community-photo")

    # A moderator hides the reported photo from the queue.
    report = Report.objects.get(community__slug=COMMUNITY, target_type="photo", status="open")
    moderator = new_page(width=390, height=844)
    login(moderator, server, "mod", demo.DEMO_PASSWORD)
    moderator.goto(f"{server}/c/{COMMUNITY}/moderation/")
    item = moderator.locator(".queue-item", has_text=report.reason)
    item.get_by_label("Reason (written to the log)").fill("Duplicate of another photo")
    item.get_by_role("button", name="Hide").click()
    moderator.get_by_text("Hidden. Points it earned were taken back.").wait_for()
    assert moderator.get_by_text("Duplicate of another photo").first.is_visible()
    screenshot(moderator, "community-moderation-phone")

    report.refresh_from_db()
    assert report.status == "resolved"
    assert Photo.objects.get(pk=report.target_id).is_hidden
    page.goto(f"{server}/c/{COMMUNITY}/gallery/")
    hidden = Photo.objects.get(pk=report.target_id)
    assert page.locator(f'a[href="{hidden.get_absolute_url()}"]').count() == 0
