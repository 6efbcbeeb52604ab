"""The dashboard's purchase section, and the brand manager's page for the webhook secret."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.engagement import Table, Window, register_section
from commerce import selectors, views
from tenancy.access import managed_community_ids

GROUP_NAMES = {"members": "Members", "others": "Non-member customers"}


def purchases_table(window: Window) -> Table:
    """Repeat purchase rate, frequency, average order and lifetime value, members vs others."""
    figures = selectors.purchase_figures(window.community, since=window.start(), until=window.end)
    return Table(
        "purchases",
        "Purchases: members and other customers",
        [
            "Group",
            "Ordering customers",
            "Orders",
            "Revenue",
            "Repeat customers",
            "Repeat purchase rate (%)",
            "Purchase frequency (orders per customer)",
            "Average order value",
            "Lifetime value",
        ],
        [
            [
                GROUP_NAMES[name],
                group.customers,
                group.orders,
                group.revenue,
                group.repeat_customers,
                group.repeat_rate,
                group.frequency,
                group.average_order,
                group.lifetime_value,
            ]
            for name, group in figures.items()
        ],
    )


register_section("purchases", purchases_table)


class ShopMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or bool(managed_community_ids(request.user))


@hooks.register("register_admin_urls")
def register_shop_urls():
    return [path("shop-webhooks/", views.webhook_secrets, name="commerce_webhook_secrets")]


@hooks.register("register_admin_menu_item")
def register_shop_menu_item():
    return ShopMenuItem(
        "Shop webhooks", reverse("commerce_webhook_secrets"), icon_name="link", order=320
    )
