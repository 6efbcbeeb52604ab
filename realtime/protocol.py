"""What a browser may send on a socket, and the error events it gets back.

A bad frame never closes the connection: the client gets ``{"type": "error", ...}`` with one of
the messages below and can carry on.
"""

import json

from realtime import event_types

MAX_FRAME_BYTES = 4096

BINARY_FRAME = "Send text frames: binary frames are not accepted."
FRAME_TOO_LARGE = "That message is too large (4 KB at most)."
NOT_A_JSON_OBJECT = 'Send a JSON object with a type, like {"type": "ping"}.'
UNKNOWN_TYPE = "Unknown message type."
BAD_NOTIFICATION_ID = "mark_read needs the notification's id as a positive integer."

PING = "ping"
MARK_READ = "mark_read"
MARK_ALL_READ = "mark_all_read"
MARKED_READ = "notifications.marked_read"


class ClientMessageError(Exception):
    pass


def parse(text_data: str | None, bytes_data: bytes | None) -> dict:
    """Decode one client frame into a dict with a string ``type``, or raise with why not."""
    if text_data is None:
        raise ClientMessageError(BINARY_FRAME)
    if len(text_data) > MAX_FRAME_BYTES or len(text_data.encode()) > MAX_FRAME_BYTES:
        raise ClientMessageError(FRAME_TOO_LARGE)
    try:
        message = json.loads(text_data)
    except ValueError as exc:
        raise ClientMessageError(NOT_A_JSON_OBJECT) from exc
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise ClientMessageError(NOT_A_JSON_OBJECT)
    return message


def notification_id(message: dict) -> int:
    value = message.get("id")
    if isinstance(value, bool) or not isinstance(value, int) or value < 1 or value > 2**63 - 1:
        raise ClientMessageError(BAD_NOTIFICATION_ID)
    return value


def error(message: str) -> dict:
    return {"type": event_types.ERROR, "v": event_types.VERSION, "message": message}


def pong() -> dict:
    return {"type": event_types.PONG, "v": event_types.VERSION}
