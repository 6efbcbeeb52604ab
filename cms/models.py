"""Wagtail pages brand managers publish: a community home, its challenges and announcements.

Each community has one ``CommunityHomePage`` at the top of its own subtree (``/<slug>/``);
brand managers get page permissions on that subtree only (see ``cms.access``).
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from cms.blocks import CommunityHomeBody
from community.models import Product
from gamification import actions, periods
from gamification.models import Badge
from tenancy.access import can_read

END_BEFORE_START = "A challenge must end after it starts."
BADGE_OF_ANOTHER_COMMUNITY = "Choose a badge of this community."
BADGE_NOT_MANUAL = "Choose a badge that is granted by hand (criterion: granted by a moderator)."
PRODUCT_OF_ANOTHER_COMMUNITY = "Choose a product of this community."
PRODUCT_NEEDS_PRODUCT_GOAL = "Only reviews and photos concern a product: choose one of those goals."


class CommunityPage:
    """Mixin of every page type here: a private community's pages are a 404 for outsiders.

    Serving goes through ``CommunityHomePage.route`` for the home page and everything under it
    (any page type, also future ones), so one check there covers the site; previews do not
    route, so ``serve_preview`` checks again. ``tests/cms/test_private_pages.py`` walks every
    page model and checks it carries this mixin.
    """

    def page_community(self):
        """The community whose home page is this page or above it (``None`` outside one)."""
        if not self.path:
            return None
        home = (
            CommunityHomePage.objects.ancestor_of(self, inclusive=True)
            .select_related("community")
            .first()
        )
        return home.community if home else None

    def serve_preview(self, request, mode_name):
        community = self.page_community()
        if community is not None and not can_read(request.user, community):
            raise Http404
        return super().serve_preview(request, mode_name)


class CommunityHomePage(CommunityPage, Page):
    community = models.OneToOneField(
        "tenancy.Community", on_delete=models.PROTECT, related_name="home_page"
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    intro = RichTextField(features=["bold", "italic", "link"], blank=True)
    body = StreamField(CommunityHomeBody(), blank=True, use_json_field=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("community"),
        FieldPanel("hero_image"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.ChallengeIndexPage", "cms.AnnouncementPage"]

    def route(self, request, path_components):
        """The way in to this page and every page below it: outsiders of a private community
        get a 404, whatever the page type."""
        if not can_read(request.user, self.community):
            raise Http404
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from cms import selectors

        context = super().get_context(request, *args, **kwargs)
        context["community"] = self.community
        context["zone"] = periods.community_zone(self.community)
        context["open_challenges"] = selectors.challenges_for_member(request.user, self.community)
        context["is_member"] = (
            request.user.is_authenticated
            and request.user.memberships.filter(community_id=self.community_id).exists()
        )
        context["announcements"] = selectors.announcements(self)
        return context


class ChallengeIndexPage(CommunityPage, Page):
    intro = RichTextField(features=["bold", "italic", "link"], blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.CommunityHomePage"]
    subpage_types = ["cms.ChallengePage"]
    max_count_per_parent = 1

    def get_context(self, request, *args, **kwargs):
        from cms import selectors

        context = super().get_context(request, *args, **kwargs)
        context["community"] = self.get_parent().specific.community
        context["zone"] = periods.community_zone(context["community"])
        context["challenges"] = selectors.challenges_under(self, request.user)
        return context


class ChallengePageForm(WagtailAdminPageForm):
    """Offers only the challenge's own community's products, and its hand-granted badges as the
    reward; the model's ``clean`` refuses anything else that is posted."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        community_id = self.instance.community_id
        if not community_id and self.parent_page is not None:
            home = CommunityHomePage.objects.ancestor_of(self.parent_page, inclusive=True).first()
            community_id = home.community_id if home else None
        if "reward_badge" in self.fields:
            self.fields["reward_badge"].queryset = Badge.objects.filter(
                community_id=community_id, criterion=Badge.Criterion.MANUAL
            )
        if "product" in self.fields:
            self.fields["product"].queryset = Product.objects.filter(community_id=community_id)


class ChallengePage(CommunityPage, Page):
    """A time-limited challenge: do ``goal_action`` ``goal_count`` times inside the window."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Everyone who can see the community"
        MEMBERS = "members", "Members only"

    community = models.ForeignKey(
        "tenancy.Community",
        on_delete=models.PROTECT,
        related_name="challenges",
        editable=False,
        help_text="Copied from the community home page above on every save (for fast lookups).",
    )
    summary = models.CharField(max_length=200)
    body = RichTextField(features=["bold", "italic", "link", "ol", "ul"], blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()
    goal_action = models.CharField(max_length=40, choices=actions.GOAL_ACTION_CHOICES)
    goal_count = models.PositiveSmallIntegerField(default=1)
    tag = models.CharField(
        max_length=40,
        blank=True,
        help_text=(
            "Only contributions carrying this tag count: a #hashtag in a post, review or photo "
            "caption, or a product's slug for reviews and photos."
        ),
    )
    product = models.ForeignKey(
        "community.Product",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="challenges",
        help_text="Optional: only reviews or photos of this product count.",
    )
    reward_points = models.PositiveIntegerField(default=25)
    reward_badge = models.ForeignKey(
        "gamification.Badge",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional: a hand-granted badge of this community for everyone who finishes.",
    )
    first_finishers = models.PositiveSmallIntegerField(
        default=0, help_text="How many first finishers get the bonus (0: no bonus)."
    )
    first_finishers_bonus = models.PositiveIntegerField(default=0)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")])],
            heading="When",
            help_text=(
                "Entered in your admin time zone (account settings); members see them in the "
                "community's time zone."
            ),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("goal_action"), FieldPanel("goal_count")]),
                # A plain select: the form offers this community's products only.
                FieldRowPanel([FieldPanel("product", widget=forms.Select), FieldPanel("tag")]),
            ],
            heading="Goal",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("reward_points"),
                        # A plain select: the form offers this community's badges only.
                        FieldPanel("reward_badge", widget=forms.Select),
                    ]
                ),
                FieldRowPanel([FieldPanel("first_finishers"), FieldPanel("first_finishers_bonus")]),
            ],
            heading="Reward",
        ),
        FieldPanel("visibility"),
    ]
    parent_page_types = ["cms.ChallengeIndexPage"]
    subpage_types = []
    base_form_class = ChallengePageForm

    class Meta:
        indexes = [models.Index(fields=["community", "goal_action", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="challenge_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(goal_count__gte=1), name="challenge_goal_at_least_one"
            ),
        ]

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": END_BEFORE_START})
        community_id = self.community_id or getattr(self._home_page(), "community_id", None)
        if self.product_id:
            if self.product.community_id != community_id:
                raise ValidationError({"product": PRODUCT_OF_ANOTHER_COMMUNITY})
            if self.goal_action not in actions.PRODUCT_GOAL_ACTIONS:
                raise ValidationError({"product": PRODUCT_NEEDS_PRODUCT_GOAL})
        if self.reward_badge_id:
            if self.reward_badge.community_id != community_id:
                raise ValidationError({"reward_badge": BADGE_OF_ANOTHER_COMMUNITY})
            if not self.reward_badge.is_manual:
                raise ValidationError({"reward_badge": BADGE_NOT_MANUAL})

    def save(self, *args, **kwargs):
        home = self._home_page()
        if home is not None:
            self.community_id = home.community_id
        return super().save(*args, **kwargs)

    def _home_page(self):
        """The community home page above this challenge (``None`` before it has a place)."""
        if not self.path:
            return None
        return CommunityHomePage.objects.ancestor_of(self).only("community_id").first()

    def _community(self):
        """The community, also for a preview of a page that was never saved."""
        return self.community if self.community_id else self._home_page().community

    def visible_to(self, user) -> bool:
        """Members-only challenges show their content to the community's members only."""
        if self.visibility == self.Visibility.PUBLIC:
            return True
        return (
            user.is_authenticated
            and user.memberships.filter(community_id=self._community().pk).exists()
        )

    def get_context(self, request, *args, **kwargs):
        from cms import selectors
        from gamification.selectors.progress import early_access

        context = super().get_context(request, *args, **kwargs)
        community = self._community()
        context["community"] = community
        context["zone"] = periods.community_zone(community)
        context["board"] = selectors.challenge_board(self, user=request.user)
        now = timezone.now()
        if now < self.starts_at:
            early = early_access(community, request.user)
            context["early"] = early
            context["early_open"] = bool(early.hours) and self.opens_for(early.hours) <= now
        return context

    def serve(self, request, *args, **kwargs):
        if not self.visible_to(request.user):
            return TemplateResponse(
                request,
                "cms/challenge_members_only.html",
                {"page": self, "community": self._community()},
                status=403,
            )
        return super().serve(request, *args, **kwargs)

    def call_to_action(self) -> tuple[str, str]:
        """The button that takes a member to where this challenge's goal action is done."""
        slug = self.community.slug
        if self.goal_action == actions.REVIEW_WRITTEN and self.product_id:
            url = reverse("community:product", args=[slug, self.product.slug])
            return f"Review {self.product.name}", url
        if self.goal_action == actions.REVIEW_WRITTEN:
            return "Pick a product to review", reverse("community:products", args=[slug])
        if self.goal_action == actions.PHOTO_UPLOADED:
            return "Share a photo", reverse("community:photo_upload", args=[slug])
        return "Go to the forum", reverse("community:detail", args=[slug])

    def opens_for(self, hours_early: int):
        """When the challenge opens for a member whose level grants ``hours_early`` of early
        access (``cms.progress`` counts progress from then)."""
        return self.starts_at - timedelta(hours=hours_early)

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at


class AnnouncementPage(CommunityPage, Page):
    summary = models.CharField(max_length=200)
    body = RichTextField(features=["bold", "italic", "link", "ol", "ul", "h3"])
    published_on = models.DateField(default=timezone.localdate)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("published_on"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.CommunityHomePage"]
    subpage_types = []


class ChallengeProgress(models.Model):
    """How far one member got in one challenge, and where they finished.

    The row lives next to ``ChallengePage`` (which defines the challenge) but is written ONLY by
    ``cms.progress``, inside the award's transaction: like every other piece of game
    state it changes through the engine's door, never from a page, view or hook. Pages and
    selectors only read it. One row per member per challenge; ``finish_rank`` is 1 for the first
    finisher, unique per challenge, and set exactly when ``completed_at`` is.
    """

    challenge = models.ForeignKey(ChallengePage, on_delete=models.CASCADE, related_name="progress")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="challenge_progress"
    )
    count = models.PositiveIntegerField(default=0)
    joined_at = models.DateTimeField(help_text="When the first counted action happened.")
    updated_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    finish_rank = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "challenge progress"
        constraints = [
            models.UniqueConstraint(fields=["challenge", "member"], name="challenge_progress_once"),
            models.UniqueConstraint(
                fields=["challenge", "finish_rank"], name="challenge_finish_rank_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(completed_at__isnull=True, finish_rank__isnull=True)
                | models.Q(completed_at__isnull=False, finish_rank__gte=1),
                name="challenge_progress_finish_consistent",
            ),
            models.CheckConstraint(
                condition=models.Q(count__gte=1), name="challenge_progress_counts_something"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.challenge_id}: {self.count}"


class ChallengeAnnouncement(models.Model):
    """Marks a challenge whose publication was announced to its community, so it is announced
    once: republishing or a scheduled publish of a new revision does not notify again.

    The publishing request writes this row and queues the fan-out; the task writes the members'
    notifications and sets ``delivered_at`` (a retried task finds it set and writes nothing)."""

    challenge = models.OneToOneField(
        ChallengePage, on_delete=models.CASCADE, primary_key=True, related_name="announcement"
    )
    announced_at = models.DateTimeField()
    recipients = models.PositiveIntegerField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.challenge_id} announced to {self.recipients}"


class ChallengeReminder(models.Model):
    """An ending-soon reminder sent to one member for one challenge (at most one each)."""

    challenge = models.ForeignKey(ChallengePage, on_delete=models.CASCADE, related_name="reminders")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["challenge", "member"], name="challenge_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"Reminder for {self.member_id} on {self.challenge_id}"
