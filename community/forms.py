"""Web forms: they check shape and length; the services decide what is allowed."""

from django import forms

from community.models import Post, Product, Review, Topic

RECENT_TOPICS = 50
IMAGE_HELP = "JPEG, PNG, WebP or HEIC, up to 10 MB. Location data is removed."
MARKDOWN_HELP = "Markdown works: **bold**, *italic*, [links](https://example.com), lists."


class TopicForm(forms.Form):
    kind = forms.ChoiceField(
        choices=Topic.Kind.choices,
        initial=Topic.Kind.DISCUSSION,
        widget=forms.RadioSelect,
        label="Type",
    )
    title = forms.CharField(max_length=160, label="Title")
    body = forms.CharField(
        max_length=Post._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 8}),
        label="Details",
        help_text=MARKDOWN_HELP,
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        max_length=Post._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Your reply",
        help_text=MARKDOWN_HELP,
    )


class PostEditForm(forms.Form):
    title = forms.CharField(max_length=160, required=False, label="Title")
    body = forms.CharField(
        max_length=Post._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 8}),
        label="Text",
        help_text=MARKDOWN_HELP,
    )

    def __init__(self, *args, is_opening: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_opening:
            del self.fields["title"]
        else:
            self.fields["title"].required = True


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["name", "slug", "summary", "description", "is_active"]
        help_texts = {"slug": "Used in the address, e.g. house-blend."}


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=[(n, f"{n} star{'s' if n > 1 else ''}") for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        label="Rating",
    )
    title = forms.CharField(max_length=120, label="Title")
    body = forms.CharField(
        max_length=Review._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Your review",
        help_text=MARKDOWN_HELP,
    )


class NewReviewForm(ReviewForm):
    image = forms.FileField(
        required=False,
        label="Photo (optional)",
        help_text=IMAGE_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,.heic"}),
    )


class PhotoForm(forms.Form):
    """File checks beyond presence happen in ``safety.images`` from the file's content."""

    image = forms.FileField(
        label="Photo",
        help_text=IMAGE_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,.heic"}),
    )
    caption = forms.CharField(max_length=200, required=False, label="Caption")
    product = forms.ModelChoiceField(
        queryset=Product.objects.none(), required=False, label="Product (optional)"
    )
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.none(), required=False, label="Topic (optional)"
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(
            community=community, is_active=True
        )
        recent = Topic.objects.filter(community=community, is_hidden=False).order_by(
            "-last_activity_at"
        )
        self.fields["topic"].queryset = Topic.objects.filter(
            pk__in=list(recent.values_list("pk", flat=True)[:RECENT_TOPICS])
        ).order_by("-last_activity_at")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Written to the moderation log.",
    )


class ReviewRequestForm(forms.Form):
    reason = forms.CharField(
        max_length=400,
        label="Why should it be shown again?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A moderator reads it and decides; you'll get a notification either way.",
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        label="What's wrong with it?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Moderators read every report.",
    )
