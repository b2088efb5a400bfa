"""Removal orders (bevel, art. 6 of the 2024 law), their items and the violations they yield."""
