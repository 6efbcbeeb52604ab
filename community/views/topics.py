from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from community import selectors
from community.forms import PostEditForm, ReasonForm, ReplyForm, TopicForm
from community.services import moderation, social, topics, votes
from community.services.messages import REASON_REQUIRED
from community.views.base import flash_and_redirect, or_404, render_form, scope_for
from core import errors
from gamification.selectors.progress import flairs_for


@login_required
def topic_create(request, slug):
    scope = scope_for(request, slug)
    form = TopicForm(request.POST or None, initial={"kind": request.GET.get("kind", "discussion")})
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            topic = topics.create_topic(
                user=request.user, community=scope.community, **form.cleaned_data
            )
        except errors.AppError as exc:
            form.add_error(None, str(exc))
            error = exc
        else:
            messages.success(request, "Your topic is live.")
            return redirect(topic)
    return render_form(request, "community/topic_form.html", scope.context(form=form), error)


def _topic_context(request, scope, topic, reply_form):
    page = selectors.posts_page(
        topic, viewer=request.user, staff=scope.is_staff, page=request.GET.get("page")
    )
    page.object_list = list(page.object_list)
    flairs = flairs_for(scope.community, [post.author_id for post in page.object_list])
    for post in page.object_list:
        post.can_edit = topics.can_still_edit(post)
        post.author_flair = flairs.get(post.author_id, "")
    acceptance = getattr(topic, "acceptance", None)
    if topic.is_question:
        reply_form.fields["body"].label = "Your answer"
    return scope.context(
        topic=topic,
        page=page,
        accepted_post_id=acceptance.post_id if acceptance else None,
        can_accept=topic.is_question
        and scope.membership is not None
        and (topic.author_id == request.user.pk or scope.is_staff),
        reply_form=reply_form,
        reason_form=ReasonForm(),
        watch_level=social.watch_level(request.user, topic) if scope.membership else None,
    )


def topic_detail(request, slug, pk):
    scope = scope_for(request, slug)
    topic = or_404(selectors.topic_for(scope.community, pk, staff=scope.is_staff))
    context = _topic_context(request, scope, topic, ReplyForm())
    return render(request, "community/topic_detail.html", context)


@login_required
@require_POST
def reply(request, slug, pk):
    scope = scope_for(request, slug)
    topic = or_404(selectors.topic_for(scope.community, pk, staff=scope.is_staff))
    form = ReplyForm(request.POST)
    error = None
    if form.is_valid():
        try:
            post = topics.reply(user=request.user, topic=topic, body=form.cleaned_data["body"])
        except errors.AppError as exc:
            form.add_error(None, str(exc))
            error = exc
        else:
            messages.success(request, "Reply posted.")
            last_page = selectors.posts_page(topic, viewer=request.user, staff=False, page="last")
            return redirect(f"{topic.get_absolute_url()}?page={last_page.number}#post-{post.pk}")
    context = _topic_context(request, scope, topic, form)
    return render_form(request, "community/topic_detail.html", context, error)


@login_required
def post_edit(request, slug, pk):
    scope = scope_for(request, slug)
    post = or_404(selectors.post_in(scope.community, pk))
    if post.author_id != request.user.pk:
        return flash_and_redirect(request, errors.NotAllowed(topics.NOT_YOUR_POST), post)
    initial = {"body": post.body, "title": post.topic.title}
    form = PostEditForm(request.POST or None, initial=initial, is_opening=post.is_opening)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            topics.edit_post(
                user=request.user,
                post=post,
                body=form.cleaned_data["body"],
                title=form.cleaned_data.get("title", ""),
            )
        except errors.AppError as exc:
            form.add_error(None, str(exc))
            error = exc
        else:
            messages.success(request, "Saved. The previous version is kept in the history.")
            return redirect(post)
    context = scope.context(form=form, post=post, can_edit=topics.can_still_edit(post))
    return render_form(request, "community/post_edit.html", context, error)


def post_history(request, slug, pk):
    scope = scope_for(request, slug)
    post = or_404(selectors.post_in(scope.community, pk))
    if (post.is_hidden or post.topic.is_hidden) and not scope.is_staff:
        return or_404(None)
    context = scope.context(post=post, revisions=list(post.revisions.all()))
    return render(request, "community/post_history.html", context)


@login_required
@require_POST
def helpful(request, slug, pk):
    """Toggle the reader's helpful vote on a post."""
    scope = scope_for(request, slug)
    post = or_404(selectors.post_in(scope.community, pk))
    try:
        if request.POST.get("vote") == "remove":
            votes.unvote_helpful(user=request.user, post=post)
        else:
            votes.vote_helpful(user=request.user, post=post)
    except errors.AppError as exc:
        return flash_and_redirect(request, exc, post)
    return redirect(post)


@login_required
@require_POST
def accept(request, slug, pk):
    scope = scope_for(request, slug)
    post = or_404(selectors.post_in(scope.community, pk))
    try:
        topics.accept_answer(user=request.user, post=post)
    except errors.AppError as exc:
        return flash_and_redirect(request, exc, post)
    messages.success(request, "Answer accepted.")
    return redirect(post)


WATCH_SAVED = {
    "watching": "You are watching this topic: every reply notifies you.",
    "normal": "You stopped watching this topic. Mentions of you still notify you.",
    "muted": "Topic muted: nothing from it notifies you.",
}


@login_required
@require_POST
def watch(request, slug, pk):
    """Watch, stop watching or mute a topic (the buttons on the topic page)."""
    scope = scope_for(request, slug)
    topic = or_404(selectors.topic_for(scope.community, pk, staff=scope.is_staff))
    try:
        saved = social.set_watch_level(
            user=request.user, topic=topic, level=request.POST.get("level", "")
        )
    except errors.AppError as exc:
        return flash_and_redirect(request, exc, topic)
    messages.success(request, WATCH_SAVED[saved.level])
    return redirect(topic)


@login_required
@require_POST
def lock(request, slug, pk):
    scope = scope_for(request, slug)
    topic = or_404(selectors.topic_for(scope.community, pk, staff=True))
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return flash_and_redirect(request, errors.Invalid(REASON_REQUIRED), topic)
    try:
        moderation.set_topic_locked(
            user=request.user,
            topic=topic,
            locked=request.POST.get("locked") != "0",
            reason=form.cleaned_data["reason"],
        )
    except errors.AppError as exc:
        return flash_and_redirect(request, exc, topic)
    messages.success(request, "Topic locked." if topic.is_locked else "Topic unlocked.")
    return redirect(topic)
