"""The brand manager's page (in Wagtail) to set or rotate a community's webhook secret."""

from django.template.response import TemplateResponse
from django.urls import reverse

from commerce import services
from commerce.forms import WebhookSecretForm
from commerce.models import ShopConnection
from core.errors import AppError
from tenancy.access import managed_community_ids
from tenancy.models import Community


def _communities(user):
    communities = Community.objects.order_by("name")
    return (
        communities if user.is_superuser else communities.filter(pk__in=managed_community_ids(user))
    )


def webhook_secrets(request):
    """Lists the managed communities; a POST sets a secret and shows it this once."""
    communities = _communities(request.user)
    form = WebhookSecretForm(request.POST or None, communities=communities)
    shown = None
    if request.method == "POST" and form.is_valid():
        community = form.cleaned_data["community"]
        try:
            secret = services.set_webhook_secret(
                community=community, by=request.user, secret=form.cleaned_data["secret"]
            )
        except AppError as error:
            form.add_error(error.field, str(error))
        else:
            shown = {"community": community, "secret": secret}
            form = WebhookSecretForm(communities=communities)
    connected = dict(
        ShopConnection.objects.filter(community__in=communities).values_list(
            "community_id", "updated_at"
        )
    )
    rows = [
        {
            "community": community,
            "updated_at": connected.get(community.pk),
            "urls": [
                request.build_absolute_uri(reverse(name, args=[community.slug]))
                for name in ("api-orders", "api-orders-shopify", "api-orders-woocommerce")
            ],
        }
        for community in communities
    ]
    return TemplateResponse(
        request, "commerce/admin/webhook_secrets.html", {"form": form, "rows": rows, "shown": shown}
    )
