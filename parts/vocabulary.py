"""The parts counter's vocabularies: each code with its label (see ``dealer.vocabulary``)."""

from flask_babel import lazy_gettext as _l

from dealer.vocabulary import Vocabulary


class Unit(Vocabulary):
    """The unit a part is counted in."""

    PCS = "pcs", _l("pcs")
    L = "L", _l("L")
    KG = "kg", _l("kg")
    M = "m", _l("m")


class MovementKind(Vocabulary):
    """A line of the stock ledger, with its label in a part's history."""

    RECEIPT = "receipt", _l("received")
    RESERVATION = "reservation", _l("reserved")
    RELEASE = "release", _l("released")
    ISSUE = "issue", _l("issued")
    RETURN = "return", _l("returned")
    ADJUSTMENT = "adjustment", _l("stocktake")
    WRITE_OFF = "write_off", _l("written off")
