"""Wagtail pages brand managers publish: a community home, its challenges and announcements.

Each community has one ``CommunityHomePage`` at the top of its own subtree (``/<slug>/``);
brand managers get page permissions on that subtree only (see ``cms.access``).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from cms.blocks import CommunityHomeBody
from gamification import actions

END_BEFORE_START = "A challenge must end after it starts."
GOAL_ACTION_CHOICES = [
    (actions.TOPIC_CREATED, "Start a discussion"),
    (actions.QUESTION_ASKED, "Ask a question"),
    (actions.REPLY_POSTED, "Reply to a discussion"),
    (actions.ANSWER_POSTED, "Answer a question"),
    (actions.REVIEW_WRITTEN, "Write a review"),
    (actions.PHOTO_UPLOADED, "Upload a photo"),
    (actions.HELPFUL_VOTE_RECEIVED, "Receive a helpful vote"),
]


class CommunityHomePage(Page):
    community = models.OneToOneField(
        "community.Community", on_delete=models.PROTECT, related_name="home_page"
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

    def get_context(self, request, *args, **kwargs):
        from cms import selectors

        context = super().get_context(request, *args, **kwargs)
        context["community"] = self.community
        context["open_challenges"] = selectors.open_challenges(self)
        context["announcements"] = selectors.announcements(self)
        return context


class ChallengeIndexPage(Page):
    intro = RichTextField(features=["bold", "italic", "link"], blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.CommunityHomePage"]
    subpage_types = ["cms.ChallengePage"]
    max_count_per_parent = 1

    def get_context(self, request, *args, **kwargs):
        from cms import selectors

        context = super().get_context(request, *args, **kwargs)
        context["community"] = self.get_parent().specific.community
        context["challenges"] = selectors.challenges_under(self)
        return context


class ChallengePage(Page):
    """A time-limited challenge: do ``goal_action`` ``goal_count`` times inside the window."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Everyone who can see the community"
        MEMBERS = "members", "Members only"

    summary = models.CharField(max_length=200)
    body = RichTextField(features=["bold", "italic", "link", "ol", "ul"], blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()
    goal_action = models.CharField(max_length=40, choices=GOAL_ACTION_CHOICES)
    goal_count = models.PositiveSmallIntegerField(default=1)
    tag = models.CharField(
        max_length=40, blank=True, help_text="Only contributions carrying this tag count."
    )
    reward_points = models.PositiveIntegerField(default=25)
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
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("goal_action"), FieldPanel("goal_count")]),
                FieldPanel("tag"),
            ],
            heading="Goal",
        ),
        MultiFieldPanel(
            [
                FieldPanel("reward_points"),
                FieldRowPanel([FieldPanel("first_finishers"), FieldPanel("first_finishers_bonus")]),
            ],
            heading="Reward",
        ),
        FieldPanel("visibility"),
    ]
    parent_page_types = ["cms.ChallengeIndexPage"]
    subpage_types = []

    class Meta:
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

    @property
    def community(self):
        return self.get_parent().get_parent().specific.community

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at


class AnnouncementPage(Page):
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
