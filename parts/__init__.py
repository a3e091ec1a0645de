"""The parts counter: catalogue, stock ledger, receiving, CSV import and export."""
