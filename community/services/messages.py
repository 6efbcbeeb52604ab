"""Messages the content services share (each module keeps its own as well)."""

NOT_A_MEMBER = "You are not a member of this community."


MODERATORS_ONLY = "Only moderators of this community can do that."


BRAND_MANAGERS_ONLY = "Only brand managers of this community can manage products."


WRONG_COMMUNITY = "That item belongs to another community."


CONTENT_NOT_FOUND = "That item does not exist in this community."


REASON_REQUIRED = "Please give a reason."
