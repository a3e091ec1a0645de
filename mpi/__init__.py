"""The digital multi-point inspection (多项检查): the manager's inspection templates, items
grouped by system with both languages' labels, units and thresholds, and the technician's
inspection of an order against one, in front of the customer.

A floor beside the diary: above the work orders, below after-sales care.
"""
