"""Appointments and the workshop diary (预约): booking against the workshop's real capacity.

A floor above the work orders and below after-sales care: a booking is made at the desk, by
phone or online, opens a work order when the car arrives, and tells care through a hook
(``appointment_changed``) so that care's outbox confirms, reminds and offers a new time.
"""
