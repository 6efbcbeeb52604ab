"""StreamField blocks for community home pages.

Dynamic blocks (photos, reviews, challenges, leaderboard) hold only their settings; the data
comes from selectors when the page renders, so a block never goes stale.
"""

from wagtail import blocks


class RichTextSection(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=80)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul", "h3"])

    class Meta:
        icon = "doc-full"
        template = "cms/blocks/rich_text_section.html"


class OpenChallengesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(default="Open challenges", max_length=80)

    class Meta:
        icon = "pick"
        template = "cms/blocks/open_challenges.html"


class AnnouncementsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(default="News from the team", max_length=80)
    count = blocks.IntegerBlock(default=3, min_value=1, max_value=10)

    class Meta:
        icon = "bullhorn"
        template = "cms/blocks/announcements.html"


class CommunityHomeBody(blocks.StreamBlock):
    rich_text = RichTextSection()
    open_challenges = OpenChallengesBlock()
    announcements = AnnouncementsBlock()
