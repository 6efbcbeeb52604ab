from tenancy.access import memberships_for


def navigation(request):
    """The header's community switcher and bell need the member's communities and unread count."""
    user = request.user
    if not user.is_authenticated:
        return {"nav_memberships": [], "nav_unread_count": 0}
    return {
        "nav_memberships": memberships_for(user),
        "nav_unread_count": user.notifications.unread().count(),
    }
