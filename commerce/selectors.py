"""Purchase figures for the engagement dashboard: do members buy more?

For a window ``[since, until)`` and each group of customers (members: matched to a member;
non-member customers: not matched), counting paid orders only (refunded and cancelled orders,
and refunds still waiting for their order, are left out) and the shop's amounts as sent (one
currency per shop):

* customers: customers with an order in the window; orders and revenue in the window;
* repeat purchase rate: customers with 2 or more orders in the window / customers (%);
* purchase frequency: orders / customers; average order value: revenue / orders;
* lifetime value: revenue of every order placed before the window's end / customers who had
  ordered by then.

Three aggregate queries in all, whatever the number of customers.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from commerce.models import Customer, Order

GROUPS = (("members", Q(member__isnull=False)), ("others", Q(member__isnull=True)))
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Figures:
    customers: int
    orders: int
    revenue: Decimal
    repeat_customers: int
    repeat_rate: float
    frequency: float
    average_order: Decimal
    lifetime_customers: int
    lifetime_value: Decimal


def _paid(community):
    return Order.objects.filter(community=community, status=Order.Status.PAID, complete=True)


def _ratio(part, whole) -> Decimal:
    return (Decimal(part) / whole).quantize(CENT) if whole else Decimal("0.00")


def purchase_figures(community, *, since, until) -> dict[str, Figures]:
    """``{"members": Figures, "others": Figures}`` for the window."""
    in_window = _paid(community).filter(placed_at__gte=since, placed_at__lt=until)
    per_customer = Subquery(
        in_window.filter(customer=OuterRef("pk"))
        .values("customer")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )
    customers = (
        Customer.objects.filter(community=community)
        .annotate(n=Coalesce(per_customer, Value(0)))
        .aggregate(
            **{
                f"{name}_{what}": Count("pk", filter=group & Q(n__gte=least))
                for name, group in GROUPS
                for what, least in (("customers", 1), ("repeat", 2))
            }
        )
    )
    orders = in_window.aggregate(
        **{
            f"{name}_{what}": aggregate
            for name, group in GROUPS
            for what, aggregate in (
                ("orders", Count("pk", filter=_prefixed(group))),
                ("revenue", Sum("total", filter=_prefixed(group))),
            )
        }
    )
    lifetime = (
        _paid(community)
        .filter(placed_at__lt=until)
        .aggregate(
            **{
                f"{name}_{what}": aggregate
                for name, group in GROUPS
                for what, aggregate in (
                    ("customers", Count("customer", distinct=True, filter=_prefixed(group))),
                    ("revenue", Sum("total", filter=_prefixed(group))),
                )
            }
        )
    )
    figures = {}
    for name, _group in GROUPS:
        buyers, count = customers[f"{name}_customers"], orders[f"{name}_orders"]
        revenue = (orders[f"{name}_revenue"] or Decimal(0)).quantize(CENT)
        repeat = customers[f"{name}_repeat"]
        figures[name] = Figures(
            customers=buyers,
            orders=count,
            revenue=revenue,
            repeat_customers=repeat,
            repeat_rate=round(100 * repeat / buyers, 1) if buyers else 0.0,
            frequency=round(count / buyers, 2) if buyers else 0.0,
            average_order=_ratio(revenue, count),
            lifetime_customers=lifetime[f"{name}_customers"],
            lifetime_value=_ratio(lifetime[f"{name}_revenue"] or 0, lifetime[f"{name}_customers"]),
        )
    return figures


def _prefixed(group: Q) -> Q:
    """``group`` (a condition on Customer) as a condition on Order."""
    ((field, value),) = group.children
    return Q(**{f"customer__{field}": value}) & Q(customer__isnull=False)
