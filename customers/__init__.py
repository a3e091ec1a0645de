"""Customers, vehicles, and (to come) callbacks, complaints and the VIP archive."""
