"""Channel-layer group names (``[a-zA-Z0-9-_.]`` only).

* ``user.<id>``: every notification socket of one member (all their tabs and devices).
* ``community.<id>``: every community page socket (anyone allowed to view the community).
* ``community.<id>.members``: the notification sockets of the community's members, for
  community news (challenge and announcement published) wherever the member is on the site.
* ``community.<id>.viewer.<user id>``: one logged-in member's community page sockets, so they
  can be closed when the member leaves a private community.
"""


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def community_group(community_id: int) -> str:
    return f"community.{community_id}"


def members_group(community_id: int) -> str:
    return f"community.{community_id}.members"


def viewer_group(community_id: int, user_id: int) -> str:
    return f"community.{community_id}.viewer.{user_id}"
