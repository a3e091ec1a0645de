"""Hooks: the one way a lower floor lets a higher one react to what it did.

Imports run one way (dealer <- customers, parts <- workorders <- (diary, mpi) <- warranty <- care
<- reports <- demo), so an operation on a lower floor cannot call the floors above it. Where it must
(stock that arrives for jobs waiting in the workshop, a delivery that plans the customer's
callbacks, an order's move that tells its customer, a done warranty job that drafts its claim,
a car met at the desk whose open recalls must show), it calls a ``Hook`` inside its own
transaction, and the receivers are connected in one place, ``dealer.register_hooks``, when
the app is built: what reacts to what is read there, not found in import-time side effects.
"""

from collections.abc import Callable


class Hook:
    """A named list of receivers, called in the order they were connected."""

    def __init__(self, name: str, doc: str):
        self.name = name
        self.__doc__ = doc
        self._receivers: list[Callable[..., None]] = []

    def connect(self, receiver: Callable[..., None]) -> None:
        """Add ``receiver`` once; connecting it again changes nothing."""
        if receiver not in self._receivers:
            self._receivers.append(receiver)

    def disconnect(self, receiver: Callable[..., None]) -> None:
        """Remove ``receiver``; one not connected changes nothing."""
        if receiver in self._receivers:
            self._receivers.remove(receiver)

    def __iter__(self):
        """The receivers, for a caller that wants each one's answer."""
        return iter(list(self._receivers))

    def __call__(self, *args, **kwargs) -> None:
        for receiver in self._receivers:
            receiver(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<Hook {self.name} ({len(self._receivers)} receivers)>"
