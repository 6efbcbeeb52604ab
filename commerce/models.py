"""Orders from a brand's shop: customers (by e-mail, per community), orders and their lines, and
the community's webhook secret.

A customer is matched to a member by e-mail (``commerce.matching``); orders of customers who are
not members are kept and become the member's when they join. An order is unique per community,
source and the shop's order id, so a replayed webhook finds the order it already made.
"""

from django.conf import settings
from django.db import models

from tenancy.models import Community


class ShopConnection(models.Model):
    """A community's webhook secret, encrypted at rest (``commerce.signing``): it must be
    readable to compute the HMAC a shop's signature is checked against."""

    community = models.OneToOneField(
        Community, on_delete=models.CASCADE, related_name="shop_connection"
    )
    encrypted_secret = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Shop connection of {self.community}"


class Customer(models.Model):
    """Someone who ordered from the brand's shop, by normalised e-mail (stripped, lower case)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="customers")
    email = models.CharField(max_length=254)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customer_records",
    )
    matched_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "email"], name="customer_unique_email")
        ]

    def __str__(self) -> str:
        return self.email


class Order(models.Model):
    class Source(models.TextChoices):
        GENERIC = "generic", "Generic webhook"
        SHOPIFY = "shopify", "Shopify"
        WOOCOMMERCE = "woocommerce", "WooCommerce"
        IMPORT = "import", "CSV import"

    class Status(models.TextChoices):
        PAID = "paid", "Paid"
        REFUNDED = "refunded", "Refunded"
        CANCELLED = "cancelled", "Cancelled"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="orders")
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, null=True, blank=True, related_name="orders"
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    external_id = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices)
    #: False while only a refund has arrived (out of order): the paid order fills it in.
    complete = models.BooleanField(default=True)
    total = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, blank=True)
    placed_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "source", "external_id"], name="order_unique_external_id"
            )
        ]
        indexes = [models.Index(fields=["community", "placed_at"], name="order_community_placed")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} order {self.external_id}"

    @property
    def earns_points(self) -> bool:
        """Orders from the shop's webhooks earn points; imported history does not."""
        return self.source != self.Source.IMPORT


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    sku = models.CharField(max_length=64, blank=True)
    name = models.CharField(max_length=200, blank=True)
    quantity = models.PositiveIntegerField(default=1)
    price = models.DecimalField(max_digits=12, decimal_places=2, default=0)

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku or self.name}"
