"""Operations on work orders, by stage: open, inspect, estimate, authorize, work, inspect,
hand over, come back.

Each operation takes the acting member of staff, checks the role, the order's state and the
rule in question (the state and action tables of ``workorders.lifecycle``), changes the
records, writes the status history (the audit log follows by itself) and flushes. The caller
commits once. A broken rule raises ``RuleBroken`` (409), bad input ``DomainError`` (422)
naming the field.

The stages live in their own modules (``intake``, ``estimate``, ``part_lines``,
``authorization``, ``workshop``, ``inspection``, ``handover``, ``comebacks``, over ``base``
and ``reading``); this package hands their operations on under one name, so pages, API and
the floors above call ``services.add_job`` without knowing which stage keeps it.
"""

from workorders.services.authorization import (
    approve_within_authorization,
    authorize_jobs,
)
from workorders.services.base import (
    DESK,
    MAX_HOURS,
    MAX_PRICE,
    MAX_SIGNATURE_BYTES,
    allow,
    decode_signature,
    lock_line,
    money_input,
    move_job,
    move_order,
    order_moved,
    order_settings,
    record_history,
    release_lines,
    require,
    store_image,
)
from workorders.services.comebacks import (
    booked_work_for,
    open_comeback,
    pull_booked_work,
)
from workorders.services.estimate import (
    OPEN_WORK,
    PromiseSuggestion,
    add_canned_job,
    add_discount,
    add_job,
    save_canned_job,
    suggest_promise,
)
from workorders.services.handover import (
    NOTIFY_CHANNELS,
    hand_over,
    order_delivered,
    record_notification,
    record_payment,
    settle_figures,
    warranty_end,
)
from workorders.services.inspection import (
    QC_CHECKLIST,
    record_quality_check,
)
from workorders.services.intake import (
    DAMAGE,
    FUEL_LEVELS,
    MAX_PHOTO_BYTES,
    MAX_PHOTOS,
    PANELS,
    PHOTO_TYPES,
    SYMPTOM_KEYS,
    WARNING_LIGHTS,
    InspectionInput,
    add_photo,
    intake_record,
    open_work_order,
    photo_file,
    photo_name,
    photo_type,
    record_inspection,
    signed_intake,
    update_order,
)
from workorders.services.part_lines import (
    add_part_line,
    add_special_order_line,
    decide_part_request,
    find_part,
    hold_booked_parts,
    issue_parts,
    reserve_for_waiting_jobs,
    reserve_line,
    return_parts,
)
from workorders.services.reading import (
    AUTHORIZED_WORK,
    amount_due,
    amount_paid,
    authorized_total,
    ceiling,
    clocked_jobs,
    clocked_on_job,
    comeback_in_warranty,
    discount_amounts,
    headroom,
    job_amount,
    line_amount,
    order_facts,
    order_proposed_totals,
    order_totals,
    repair_category,
    technician_clocked_on,
    total_if_all_approved,
    total_with,
    totals_at_rates,
    worked_on,
)
from workorders.services.workshop import (
    TechnicianNow,
    assign_job,
    clock_off,
    clock_on,
    complete_job,
    excuse_no_clock,
    job_done,
    open_clock_of,
    record_findings,
    workshop_now,
)
