"""Display names of the work order's codes, shared by the pages and the printed papers: each
vocabulary's labels (``workorders.vocabulary``), and the papers' shorter or extra labels."""

from flask_babel import lazy_gettext as _l

from parts.vocabulary import Unit
from workorders.vocabulary import (
    AuthorizationMethod,
    Belonging,
    Category,
    Damage,
    JobStatus,
    Panel,
    PartCondition,
    PaymentMethod,
    PayType,
    QcCheck,
    Status,
    Symptom,
    WarningLight,
)
from workorders.workspace import Section

STATUS_LABELS = Status.labels()
JOB_LABELS = JobStatus.labels()
PANEL_LABELS = Panel.labels()
DAMAGE_LABELS = Damage.labels()
LIGHT_LABELS = WarningLight.labels()
STANDARD_BELONGINGS = Belonging.labels()
SYMPTOM_LABELS = Symptom.labels()
SYMPTOM_ANSWERS = {"cold": _l("Cold"), "warm": _l("Warm"), "always": _l("Either")}
UNIT_LABELS = Unit.labels()
CONDITION_LABELS = PartCondition.labels()
SECTION_LABELS = {
    Section.INTAKE: _l("Intake"),
    Section.JOBS: _l("Jobs and parts"),
    Section.DECISION: _l("Customer's decision"),
    Section.INSPECTION: _l("Final inspection"),
    Section.PAYMENT: _l("Payment and handover"),
    Section.HISTORY: _l("History"),
}
CHECKLIST_LABELS = QcCheck.labels()
CATEGORY_LABELS = Category.labels()
PAY_LABELS = PayType.labels()
PAYMENT_LABELS = PaymentMethod.labels()
METHOD_LABELS = AuthorizationMethod.labels()
PRINTED_CONDITION_LABELS = {
    PartCondition.NEW_GENUINE.value: _l("Genuine"),
    PartCondition.NEW_AFTERMARKET.value: _l("Aftermarket"),
    PartCondition.USED.value: _l("Used"),
    PartCondition.RECONDITIONED.value: _l("Reconditioned"),
}
"""The papers' shorter labels of a part's condition."""
