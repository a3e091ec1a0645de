"""After the visit: callbacks, complaints and the VIP archive."""
