import re

from django.conf import settings
from django.db import models
from django.urls import reverse
from wagtail.search import index

from tenancy.models import Community

# "#latteart" in running text; not a Markdown heading ("# Title"), not a link fragment ("/#top").
HASHTAG = re.compile(r"(?<![\w/&#])#([^\W_][\w-]{0,39})")


def hashtags(*texts: str) -> set[str]:
    """The hashtags in ``texts``, lower-cased and without the ``#``."""
    return {tag.lower() for text in texts for tag in HASHTAG.findall(text or "")}


class Hideable(models.Model):
    """Content a moderator can hide; hidden content stays stored and can be restored."""

    is_hidden = models.BooleanField(default=False)

    class Meta:
        abstract = True


class Product(index.Indexed, models.Model):
    """Something the brand sells; brand managers keep the catalogue, members review it."""

    search_fields = [
        index.SearchField("name", boost=2),
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("community"),
        index.FilterField("is_active"),
    ]

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120)
    summary = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True, max_length=4000)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "slug"], name="product_slug_unique"),
            models.UniqueConstraint(fields=["community", "name"], name="product_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "community:product", kwargs={"slug": self.community.slug, "product": self.slug}
        )


class Topic(index.Indexed, models.Model):
    """A thread: its opening text is the first post (``Post.is_opening``).

    Indexed for search with the text of its visible posts, so a word that appears only in a
    reply finds the topic; ``community.search_index`` refreshes it when a post changes.
    """

    class Kind(models.TextChoices):
        DISCUSSION = "discussion", "Discussion"
        QUESTION = "question", "Question"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="topics")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topics"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.DISCUSSION)
    title = models.CharField(max_length=160)
    is_locked = models.BooleanField(default=False)
    is_hidden = models.BooleanField(
        default=False, help_text="Mirrors the opening post: hiding it hides the whole topic."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(auto_now_add=True)

    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("visible_text"),
        index.FilterField("community"),
        index.FilterField("is_hidden"),
    ]

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        indexes = [models.Index(fields=["community", "is_hidden", "-last_activity_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["discussion", "question"]), name="topic_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:topic", kwargs={"slug": self.community.slug, "pk": self.pk})

    @property
    def is_question(self) -> bool:
        return self.kind == self.Kind.QUESTION

    def visible_text(self) -> str:
        """What search indexes besides the title: the bodies of the posts readers can see."""
        return "\n".join(self.posts.filter(is_hidden=False).values_list("body", flat=True))


class Post(Hideable):
    """The opening text of a topic or a reply (an answer, when the topic is a question)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    is_opening = models.BooleanField(default=False)
    body = models.TextField(max_length=10000)
    body_html = models.TextField(help_text="The body rendered and sanitised when it was saved.")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["topic", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["topic"],
                condition=models.Q(is_opening=True),
                name="post_one_opening_per_topic",
            ),
        ]

    def __str__(self) -> str:
        return f"Post {self.pk} in {self.topic}"

    def get_absolute_url(self) -> str:
        return f"{self.topic.get_absolute_url()}#post-{self.pk}"

    @property
    def is_deleted_by_author(self) -> bool:
        """An opening post its author deleted while others' replies stayed: kept, emptied
        (``community.services.deletion``). No other post has an empty body."""
        return self.is_opening and not self.body

    def challenge_tags(self) -> set[str]:
        """Challenge tag protocol (``cms.progress``): hashtags in the post, and in the
        topic's title for the opening post."""
        return hashtags(self.body, self.topic.title if self.is_opening else "")


class PostRevision(models.Model):
    """What a post said before an edit (the title too, for an opening post)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=160, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Revision of post {self.post_id} from {self.created_at:%Y-%m-%d %H:%M}"


class Acceptance(models.Model):
    """The accepted answer of a question; its own row so its award can be reversed alone."""

    topic = models.OneToOneField(Topic, on_delete=models.CASCADE, related_name="acceptance")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="acceptances")
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Post {self.post_id} accepted for topic {self.topic_id}"


class TopicWatch(models.Model):
    """A member's choice about one topic's notifications.

    Watching: every reply notifies them (members watch the topics they start or reply to).
    Not watching: a kept "no" (replying again does not turn watching back on). Muted: nothing
    from the topic notifies them, mentions included. No row: not watching, until they take part.
    """

    class Level(models.TextChoices):
        WATCHING = "watching", "Watching"
        NORMAL = "normal", "Not watching"
        MUTED = "muted", "Muted"

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="watches")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_watches"
    )
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.WATCHING)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "user"], name="topic_watch_unique"),
            models.CheckConstraint(
                condition=models.Q(level__in=["watching", "normal", "muted"]),
                name="topic_watch_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_level_display().lower()} topic {self.topic_id}"


class HelpfulVote(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="helpful_votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helpful_votes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "voter"], name="helpful_vote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.voter} found post {self.post_id} helpful"

    def challenge_tags(self) -> set[str]:
        """A vote counts toward a tagged challenge when the post it is for carries the tag."""
        return self.post.challenge_tags()


class Review(index.Indexed, Hideable):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="reviews")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    rating = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    body = models.TextField(max_length=5000)
    body_html = models.TextField()
    is_featured = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("body"),
        index.FilterField("community"),
        index.FilterField("is_hidden"),
    ]

    class Meta:
        ordering = ["-is_featured", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "author"], name="review_once_per_product"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.rating}/5)"

    def get_absolute_url(self) -> str:
        return f"{self.product.get_absolute_url()}#review-{self.pk}"

    def challenge_tags(self) -> set[str]:
        """Challenge tag protocol: hashtags in the title and text, and the product's slug."""
        return hashtags(self.title, self.body) | {self.product.slug}


class Photo(index.Indexed, Hideable):
    """A member's photo, stored re-encoded under a random name with EXIF stripped."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="photos")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(upload_to="photos/%Y/%m/", width_field="width", height_field="height")
    thumbnail = models.ImageField(upload_to="photos/thumbs/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    caption = models.CharField(max_length=200, blank=True)
    product = models.ForeignKey(
        Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="photos"
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="photos"
    )
    review = models.ForeignKey(
        Review, on_delete=models.SET_NULL, null=True, blank=True, related_name="photos"
    )
    is_featured = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    search_fields = [
        index.SearchField("caption"),
        index.FilterField("community"),
        index.FilterField("is_hidden"),
    ]

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "is_hidden", "-created_at"])]

    def __str__(self) -> str:
        return self.caption or f"Photo {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("community:photo", kwargs={"slug": self.community.slug, "pk": self.pk})

    def challenge_tags(self) -> set[str]:
        """Challenge tag protocol: hashtags in the caption, and the product's slug if any."""
        tags = hashtags(self.caption)
        if self.product_id is not None:
            tags.add(self.product.slug)
        return tags


class TargetType(models.TextChoices):
    """What can be reported and moderated."""

    POST = "post", "Post"
    REVIEW = "review", "Review"
    PHOTO = "photo", "Photo"


class Report(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        DISMISSED = "dismissed", "Dismissed"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports"
    )
    target_type = models.CharField(max_length=10, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField()
    reason = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["community", "status", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "target_type", "target_id"],
                condition=models.Q(status="open"),
                name="report_one_open_per_reporter",
            ),
            models.CheckConstraint(
                condition=models.Q(target_type__in=["post", "review", "photo"]),
                name="report_target_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Report on {self.target_type} {self.target_id} ({self.status})"


class ModerationAction(models.Model):
    """The audit log: who did what to which item or member, when and why. Append-only.

    ``moderator`` is empty for what an automatic check did (``detect_serial_voting``);
    ``member`` is the member an action concerns (kudos, badges, reversed votes).
    """

    class Action(models.TextChoices):
        HIDE = "hide", "Hid"
        RESTORE = "restore", "Restored"
        DISMISS = "dismiss", "Dismissed reports on"
        LOCK = "lock", "Locked"
        UNLOCK = "unlock", "Unlocked"
        FEATURE = "feature", "Featured"
        UNFEATURE = "unfeature", "Unfeatured"
        KUDOS = "kudos", "Gave kudos to"
        REVOKE_KUDOS = "revoke_kudos", "Revoked kudos of"
        GRANT_BADGE = "grant_badge", "Granted a badge to"
        REVOKE_BADGE = "revoke_badge", "Revoked a badge of"
        REVERSE_VOTES = "reverse_votes", "Reversed serial votes for"

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="moderation_actions"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moderation_actions",
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    target_type = models.CharField(
        max_length=10, choices=[*TargetType.choices, ("topic", "Topic"), ("member", "Member")]
    )
    target_id = models.PositiveBigIntegerField()
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The member the action concerns, when it concerns one.",
    )
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "-created_at"])]

    def __str__(self) -> str:
        verb = self.get_action_display().lower()
        who = self.moderator or "automatic check"
        return f"{who} {verb} {self.target_type} {self.target_id}"
