import pytest
from django.urls import reverse

from community.models import Photo, Product, Review
from community.services import catalogue, messages
from core import errors
from gamification import actions
from gamification.models import LedgerEntry
from safety import images
from tenancy.models import Membership
from tests.community.helpers import image_bytes, join, upload


@pytest.fixture
def product(manager, community):
    return catalogue.save_product(
        user=manager, community=community, name="House Blend", slug="house-blend"
    )


def review(user, product, rating=5, **extra):
    extra.setdefault("title", "Lovely")
    extra.setdefault("body", "Sweet and round")
    return catalogue.write_review(user=user, product=product, rating=rating, **extra)


# --- Products -------------------------------------------------------------------------------


def test_brand_manager_adds_and_edits_products(manager, community, product):
    catalogue.save_product(
        user=manager, community=community, name="House Blend 2", slug="house-blend", product=product
    )
    assert Product.objects.get().name == "House Blend 2"


def test_duplicate_product_name_is_a_clear_error(manager, community, product):
    with pytest.raises(errors.AppError, match=catalogue.PRODUCT_NAME_TAKEN):
        catalogue.save_product(user=manager, community=community, name="House Blend", slug="hb")


@pytest.mark.parametrize("role", [Membership.Role.MEMBER, Membership.Role.MODERATOR])
def test_other_roles_cannot_manage_products(make_user, community, role):
    user = make_user("someone")
    join(user, community, role=role)
    with pytest.raises(errors.NotAllowed, match=messages.BRAND_MANAGERS_ONLY):
        catalogue.save_product(user=user, community=community, name="Fake", slug="fake")


def test_brand_manager_of_another_community_cannot_edit_this_product(
    make_user, make_community, product
):
    other = make_community("other")
    rival = make_user("rival")
    join(rival, other, role=Membership.Role.BRAND_MANAGER)
    with pytest.raises(errors.NotAllowed):
        catalogue.save_product(user=rival, community=other, name="X", slug="x", product=product)


def test_product_form_for_members_redirects_with_message(client_for, member, community):
    response = client_for(member).get(
        reverse("community:product_create", args=[community.slug]), follow=True
    )
    assert messages.BRAND_MANAGERS_ONLY in response.content.decode()


def test_product_form_creates_for_brand_manager(client_for, manager, community):
    response = client_for(manager).post(
        reverse("community:product_create", args=[community.slug]),
        {"name": "Ember Mug", "slug": "ember-mug", "summary": "Stoneware", "is_active": "on"},
    )
    assert response.status_code == 302
    assert Product.objects.get().slug == "ember-mug"


# --- Reviews --------------------------------------------------------------------------------


def test_member_reviews_once_and_edits(member, product):
    first = review(member, product, rating=4)
    assert LedgerEntry.objects.get(action=actions.REVIEW_WRITTEN).member == member
    with pytest.raises(errors.AppError, match=catalogue.ALREADY_REVIEWED):
        review(member, product, rating=1)
    catalogue.edit_review(user=member, review=first, rating=2, title="Changed", body="Meh")
    first.refresh_from_db()
    assert (first.rating, first.title) == (2, "Changed")
    assert Review.objects.count() == 1
    assert LedgerEntry.objects.filter(action=actions.REVIEW_WRITTEN).count() == 1


def test_nobody_edits_someone_elses_review(member, moderator, product):
    theirs = review(member, product)
    with pytest.raises(errors.NotAllowed, match=catalogue.NOT_YOUR_REVIEW):
        catalogue.edit_review(user=moderator, review=theirs, rating=1, title="x", body="y")


def test_non_member_cannot_review(make_user, product):
    with pytest.raises(errors.NotAllowed, match=messages.NOT_A_MEMBER):
        review(make_user("outsider"), product)


def test_review_with_a_photo_attaches_it(member, product):
    written = review(member, product, image=upload(image_bytes("JPEG")))
    photo = Photo.objects.get()
    assert (photo.review, photo.product) == (written, product)


def test_review_with_a_bad_photo_stores_nothing(member, product):
    with pytest.raises(errors.AppError, match=images.NOT_AN_IMAGE):
        review(member, product, image=upload(b"<svg></svg>"))
    assert Review.objects.count() == 0 and Photo.objects.count() == 0


def test_product_page_shows_average_and_distribution(
    client, make_user, community, product, django_assert_max_num_queries
):
    for i, rating in enumerate([5, 5, 4, 2]):
        user = make_user(f"r{i}")
        join(user, community)
        review(user, product, rating=rating)
    with django_assert_max_num_queries(10):
        response = client.get(product.get_absolute_url())
    body = response.content.decode()
    assert "4.0" in body
    assert "2 reviews with 5 stars" in body
    assert "0 reviews with 3 stars" in body
    assert "1 review with 2 stars" in body


def test_review_form_creates_then_updates(client_for, member, product):
    client = client_for(member)
    url = reverse("community:review_save", args=[product.community.slug, product.slug])
    data = {"review-rating": "5", "review-title": "Great", "review-body": "Yes"}
    assert client.post(url, data).status_code == 302
    data["review-rating"] = "3"
    assert client.post(url, data).status_code == 302
    assert Review.objects.get().rating == 3


@pytest.mark.parametrize("rating", ["0", "6", "abc", ""])
def test_review_form_rejects_bad_ratings(client_for, member, product, rating):
    url = reverse("community:review_save", args=[product.community.slug, product.slug])
    response = client_for(member).post(
        url, {"review-rating": rating, "review-title": "t", "review-body": "b"}
    )
    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode()
    assert Review.objects.count() == 0
