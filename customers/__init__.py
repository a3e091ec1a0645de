"""Customers and their vehicles, with odometer and ownership history; privacy: masked phone
numbers, the customer's export and erasure."""
