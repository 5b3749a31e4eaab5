"""The dairy farm."""
