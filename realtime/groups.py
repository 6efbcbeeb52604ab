"""Channel-layer group names (``[a-zA-Z0-9-_.]`` only)."""


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def community_group(community_id: int) -> str:
    return f"community.{community_id}"
