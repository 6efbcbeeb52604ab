from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from community import selectors
from community.forms import PhotoForm, ReasonForm
from community.models import TargetType
from community.services import moderation, photos
from community.views.base import flash_and_redirect, or_404, render_form, scope_for
from core import errors


def gallery(request, slug):
    scope = scope_for(request, slug)
    page = selectors.photos_page(scope.community, page=request.GET.get("page"))
    return render(request, "community/gallery.html", scope.context(tab="gallery", page=page))


@login_required
def photo_upload(request, slug):
    scope = scope_for(request, slug)
    form = PhotoForm(
        request.POST or None,
        request.FILES or None,
        community=scope.community,
        initial={"topic": request.GET.get("topic"), "product": request.GET.get("product")},
    )
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            photo = photos.upload_photo(
                user=request.user,
                community=scope.community,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
                product=form.cleaned_data["product"],
                topic=form.cleaned_data["topic"],
            )
        except errors.AppError as exc:
            form.add_error("image" if not isinstance(exc, errors.NotAllowed) else None, str(exc))
            error = exc
        else:
            messages.success(request, "Photo added to the gallery.")
            return redirect(photo)
    context = scope.context(tab="gallery", form=form)
    return render_form(request, "community/photo_form.html", context, error)


def photo_detail(request, slug, pk):
    scope = scope_for(request, slug)
    photo = or_404(selectors.photo_for(scope.community, pk, staff=scope.is_staff))
    context = scope.context(tab="gallery", photo=photo, reason_form=ReasonForm())
    return render(request, "community/photo_detail.html", context)


@login_required
@require_POST
def photo_feature(request, slug, pk):
    scope = scope_for(request, slug)
    photo = or_404(selectors.photo_for(scope.community, pk, staff=True))
    form = ReasonForm(request.POST)
    featured = request.POST.get("featured") != "0"
    try:
        moderation.set_featured(
            user=request.user,
            community=scope.community,
            target_type=TargetType.PHOTO,
            target_id=photo.pk,
            featured=featured,
            reason=form.cleaned_data["reason"] if form.is_valid() else "",
        )
    except errors.AppError as exc:
        return flash_and_redirect(request, exc, photo)
    messages.success(request, "Photo featured." if featured else "Photo no longer featured.")
    return redirect(photo)
