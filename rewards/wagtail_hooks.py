"""The rewards catalog as a Wagtail snippet, scoped to the brand manager's communities, and the
dashboard's redemption-rate section."""

from django import forms
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from cms.engagement import Table, Window, register_section
from cms.snippets import CommunityConfigForm, CommunityConfigPolicy, CommunityConfigViewSet
from core.errors import AppError
from rewards import selectors, services
from rewards.models import Reward

LEVEL_OF_OTHER_COMMUNITY = "Pick a level of the same community as the reward."

register_permission_policy(Reward, CommunityConfigPolicy(Reward), exact_class=True)


class RewardForm(CommunityConfigForm):
    codes_csv = forms.FileField(
        required=False,
        label="Upload discount codes (CSV)",
        help_text="One code per line (first column). Used when codes come from the pool.",
    )

    def clean(self):
        cleaned = super().clean()
        level, community = cleaned.get("min_level"), cleaned.get("community")
        if level is not None and community is not None and level.community_id != community.pk:
            self.add_error("min_level", LEVEL_OF_OTHER_COMMUNITY)
        upload = cleaned.get("codes_csv")
        if upload:
            try:
                cleaned["codes"] = services.parse_codes(upload.read())
            except AppError as error:
                self.add_error("codes_csv", str(error))
        return cleaned

    def save(self, commit=True):
        reward = super().save(commit=commit)
        codes = self.cleaned_data.get("codes")
        if commit and codes:
            services.add_pool_codes(reward=reward, by=self.for_user, codes=codes)
        return reward


class RewardViewSet(CommunityConfigViewSet):
    model = Reward
    icon = "tag"
    menu_label = "Rewards"
    add_to_admin_menu = True
    menu_order = 310
    list_display = ["name", "community", "kind", "cost", "stock", "active"]
    search_fields = ["name", "description"]
    edit_handler = ObjectList(
        [
            FieldPanel("community"),
            FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
            FieldPanel("description"),
            FieldPanel("image"),
            FieldRowPanel(
                [FieldPanel("cost"), FieldPanel("stock"), FieldPanel("limit_per_member")]
            ),
            FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
            FieldRowPanel([FieldPanel("min_level"), FieldPanel("active")]),
            FieldPanel("code_source"),
            FieldPanel("codes_csv"),
            FieldPanel("flair"),
            FieldRowPanel([FieldPanel("early_access_hours"), FieldPanel("early_access_days")]),
        ],
        base_form_class=RewardForm,
    )


register_snippet(RewardViewSet)


def redemption_rate_table(window: Window) -> Table:
    """Redemptions (not cancelled) in the window, and the share of members who redeemed."""
    rate = selectors.redemption_rate(window.community, since=window.start(), until=window.end)
    return Table(
        "redemptions",
        "Reward redemptions",
        ["Members", "Members who redeemed", "Redemption rate (%)", "Redemptions", "Points spent"],
        [[rate.members, rate.redeemers, rate.percent, rate.redemptions, rate.points_spent]],
    )


register_section("redemptions", redemption_rate_table)
