"""WeChat template messages through the same kind of HTTP gateway: ``WECHAT_API_URL`` takes
``{"id", "to", "text", "language"}`` as JSON; the gateway finds the customer's follower by
the phone number the dealer knows them by."""

from care.channels.base import Outgoing, post_json


class Channel:
    name = "wechat"

    def __init__(self, url: str):
        self.url = url

    @classmethod
    def from_config(cls, config) -> "Channel | None":
        url = config.get("WECHAT_API_URL")
        return cls(url) if url else None

    def send(self, message: Outgoing) -> str | None:
        return post_json(
            self.url,
            {
                "id": str(message.id),
                "to": message.to,
                "text": message.text,
                "language": message.language,
            },
        )
