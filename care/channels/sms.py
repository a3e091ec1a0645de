"""SMS through the generic HTTP gateway: ``SMS_GATEWAY_URL`` takes
``{"id", "to", "text"}`` as JSON."""

from care.channels.base import Outgoing, post_json


class Channel:
    name = "sms"

    def __init__(self, url: str):
        self.url = url

    @classmethod
    def from_config(cls, config) -> "Channel | None":
        url = config.get("SMS_GATEWAY_URL")
        return cls(url) if url else None

    def send(self, message: Outgoing) -> str | None:
        return post_json(self.url, {"id": str(message.id), "to": message.to, "text": message.text})
