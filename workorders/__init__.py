"""Work orders: intake, estimates, authorizations, jobs, QC, handover, comebacks."""
