"""Appointments and the workshop diary (预约): booking against the workshop's real capacity.

A floor above after-sales care: a booking is made at the desk, from a callback or online,
confirmed and reminded through care's outbox, and opens a work order when the car arrives.
"""
