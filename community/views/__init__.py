"""Web pages of the community app, one module per area; views parse, call a service, render."""

from community.views.communities import home

__all__ = ["home"]
