"""The callback agent's call list for a day, as a paper, in the agent's language."""

from datetime import datetime

from flask_babel import force_locale

from care.labels import HOLIDAY_LABELS, KIND_LABELS, OUTCOME_LABELS, tier_name
from dealer import pdf as b
from dealer.i18n import gettext as _
from dealer.i18n import localdate, localtime
from dealer.phones import display_phone


def _why(callback) -> str:
    why = str(KIND_LABELS[callback.kind])
    if callback.kind == "service_reminder" and callback.note:
        why += " · " + _("service due %(day)s", day=callback.note)
    elif callback.kind == "vip_care" and callback.note:
        why += " · " + str(HOLIDAY_LABELS.get(callback.note, callback.note))
    order = callback.work_order
    if order is not None:
        why += f" · {order.number}"
        if callback.kind == "declined_work":
            titles = [job.title for job in order.jobs if job.status == "declined"]
            why += "\n" + _("Declined:") + " " + "; ".join(titles)
    return why


def _last_contact(callback) -> str:
    if callback.history:
        last = callback.history[-1]
        return f"{localtime(last.at)} {OUTCOME_LABELS[last.outcome]}"
    return localdate(callback.customer.last_visit_at) or "—"


def call_list_document(settings, agent, callbacks, now: datetime) -> bytes:
    """Who to call, why, the last contact and VIP marks, one row per call."""
    with force_locale(agent.language):
        st = b.styles(chinese=agent.language == "zh_Hans")
        rows = [
            (
                str(index),
                localtime(c.due_at),
                c.customer.name
                + (f" (VIP {tier_name(c.customer.vip_tier)})" if c.customer.vip_tier else ""),
                display_phone(c.customer.phone, settings.phone_region) if c.customer.phone else "",
                _why(c),
                f"{c.vehicle.plate} {c.vehicle.model}" if c.vehicle else "",
                _last_contact(c),
                b.UNCHECKED,
            )
            for index, c in enumerate(callbacks, start=1)
        ]
        columns = [
            b.Column(_("No."), 0.04),
            b.Column(_("Due"), 0.11),
            b.Column(_("Customer"), 0.14),
            b.Column(_("Phone"), 0.12),
            b.Column(_("Why"), 0.29),
            b.Column(_("Vehicle"), 0.12),
            b.Column(_("Last contact"), 0.14),
            b.Column(_("Done"), 0.04),
        ]
        flow = [b.table(columns, rows, st) if rows else b.para(_("No calls due today."), st.muted)]
        title = _("Call list")
        head = b.Letterhead(
            dealer_name=settings.dealer_name,
            address=settings.address,
            phone=settings.phone,
            title=title,
            subtitle=f"{agent.full_name} · {localdate(now)}",
            footer=_("Printed %(when)s", when=localtime(now)),
        )
        return b.render([b.Section(head, flow)], title=title, author=settings.dealer_name)
