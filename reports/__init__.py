"""What the manager reads: the Today dashboard, period reports, the repair-archive export."""
