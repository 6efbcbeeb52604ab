"""Members delete their own posts and photos: a confirmation page (GET), then the deletion
(POST) through ``community.services.deletion``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from community import selectors
from community.services import deletion
from community.views.base import or_404, render_form, scope_for
from core import errors


@login_required
@require_http_methods(["GET", "POST"])
def post_delete(request, slug, pk):
    scope = scope_for(request, slug)
    post = or_404(selectors.post_in(scope.community, pk))
    if post.author_id != request.user.pk or post.is_deleted_by_author:
        raise Http404  # only the author sees this page
    keeps_topic = post.is_opening and post.topic.posts.exclude(author=request.user).exists()
    context = scope.context(
        what="post",
        excerpt=post.body,
        back=post.get_absolute_url(),
        consequence=(
            "Replies by others stay; the topic shows that you deleted its opening post."
            if keeps_topic
            else "The whole topic goes with it."
            if post.is_opening
            else ""
        ),
    )
    error = None
    if request.method == "POST":
        try:
            topic = deletion.delete_post(user=request.user, post=post)
        except errors.AppError as exc:
            error = exc
            context["error"] = str(exc)
        else:
            messages.success(request, "Your post was deleted.")
            return redirect(topic or scope.community)
    return render_form(request, "community/confirm_delete.html", context, error)


@login_required
@require_http_methods(["GET", "POST"])
def photo_delete(request, slug, pk):
    scope = scope_for(request, slug)
    photo = or_404(selectors.photo_for(scope.community, pk, staff=False))
    if photo.author_id != request.user.pk:
        raise Http404  # only the author sees this page
    context = scope.context(
        tab="gallery",
        what="photo",
        excerpt=photo.caption or "Untitled photo",
        back=photo.get_absolute_url(),
        consequence="It leaves the gallery.",
    )
    error = None
    if request.method == "POST":
        try:
            deletion.delete_photo(user=request.user, photo=photo)
        except errors.AppError as exc:
            error = exc
            context["error"] = str(exc)
        else:
            messages.success(request, "Your photo was deleted.")
            return redirect("community:gallery", slug=scope.community.slug)
    return render_form(request, "community/confirm_delete.html", context, error)
