"""Products and their reviews."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from community import selectors
from community.forms import NewReviewForm, ProductForm, ReasonForm, ReviewForm
from community.models import TargetType
from community.services import catalogue, moderation
from community.services.messages import BRAND_MANAGERS_ONLY
from community.views.base import flash_and_redirect, or_404, render_form, scope_for
from core import errors
from tenancy.models import Membership


def _is_brand_manager(scope) -> bool:
    return bool(scope.membership and scope.membership.role == Membership.Role.BRAND_MANAGER)


def product_list(request, slug):
    scope = scope_for(request, slug)
    is_manager = _is_brand_manager(scope)
    context = scope.context(
        tab="products",
        products=list(selectors.products(scope.community, include_inactive=is_manager)),
        is_brand_manager=is_manager,
    )
    return render(request, "community/product_list.html", context)


def _review_form(request, product, own_review, data=None, files=None):
    if own_review is not None:
        initial = {"rating": own_review.rating, "title": own_review.title, "body": own_review.body}
        return ReviewForm(data, initial=initial, prefix="review")
    return NewReviewForm(data, files, prefix="review")


def _product_page(request, scope, product, form, error=None):
    own_review = selectors.review_by(product, request.user)
    context = scope.context(
        tab="products",
        product=product,
        distribution=selectors.rating_distribution(product),
        page=selectors.reviews_page(product, page=request.GET.get("page")),
        own_review=own_review,
        review_form=form or _review_form(request, product, own_review),
        is_brand_manager=_is_brand_manager(scope),
        reason_form=ReasonForm(),
    )
    return render_form(request, "community/product_detail.html", context, error)


def product_detail(request, slug, product):
    scope = scope_for(request, slug)
    product = or_404(selectors.product_in(scope.community, product))
    return _product_page(request, scope, product, None)


@login_required
@require_POST
def review_save(request, slug, product):
    """Write the reader's review of a product, or update the one they wrote."""
    scope = scope_for(request, slug)
    product = or_404(selectors.product_in(scope.community, product))
    own_review = selectors.review_by(product, request.user)
    form = _review_form(request, product, own_review, request.POST, request.FILES)
    if not form.is_valid():
        return _product_page(request, scope, product, form)
    data = form.cleaned_data
    try:
        if own_review is None:
            catalogue.write_review(
                user=request.user,
                product=product,
                rating=data["rating"],
                title=data["title"],
                body=data["body"],
                image=data.get("image"),
            )
        else:
            catalogue.edit_review(
                user=request.user,
                review=own_review,
                rating=data["rating"],
                title=data["title"],
                body=data["body"],
            )
    except errors.AppError as exc:
        form.add_error(None, str(exc))
        return _product_page(request, scope, product, form, error=exc)
    messages.success(request, "Thanks! Your review is saved.")
    return redirect(product)


@login_required
@require_POST
def review_feature(request, slug, pk):
    scope = scope_for(request, slug)
    review = or_404(selectors.review_in(scope.community, pk))
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        moderation.set_featured(
            user=request.user,
            community=scope.community,
            target_type=TargetType.REVIEW,
            target_id=review.pk,
            featured=request.POST.get("featured") != "0",
            reason=reason,
        )
    except errors.AppError as exc:
        return flash_and_redirect(request, exc, review.product)
    return redirect(review.product)


@login_required
def product_form(request, slug, product=None):
    """Create or edit a product: brand managers of this community only."""
    scope = scope_for(request, slug)
    instance = or_404(selectors.product_in(scope.community, product)) if product else None
    if not _is_brand_manager(scope):
        error = errors.NotAllowed(BRAND_MANAGERS_ONLY)
        return flash_and_redirect(request, error, instance or scope.community)
    form = ProductForm(request.POST or None, instance=instance)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = catalogue.save_product(
                user=request.user, community=scope.community, product=instance, **form.cleaned_data
            )
        except errors.AppError as exc:
            form.add_error(None, str(exc))
            error = exc
        else:
            messages.success(request, f"{saved.name} is saved.")
            return redirect(saved)
    context = scope.context(tab="products", form=form, product=instance)
    return render_form(request, "community/product_form.html", context, error)
