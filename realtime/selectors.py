def unread_count(user) -> int:
    return user.notifications.unread().count()
