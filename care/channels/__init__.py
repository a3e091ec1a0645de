"""The channels a message can go by, behind one small interface.

A channel is a module with a ``Channel`` class: its ``name`` (a ``MessageChannel`` code),
``from_config`` (the channel as the configuration sets it up, or None), and ``send``, which
hands one message to the provider and answers the provider's id for it. It raises
``TryAgain`` when the provider could not take the message now, and ``Refused`` when it never
will. A new provider is one more module in ``MODULES``.
"""

from care.channels import email, sms, wechat
from care.channels.base import Outgoing, Refused, TryAgain

MODULES = (email, sms, wechat)

__all__ = ["MODULES", "Outgoing", "Refused", "TryAgain", "providers"]


def providers(config) -> dict:
    """Each channel the configuration sets up, by its code."""
    found = {}
    for module in MODULES:
        channel = module.Channel.from_config(config)
        if channel is not None:
            found[channel.name] = channel
    return found
