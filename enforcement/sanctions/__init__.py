"""The money side of the sanctions: forfeiture, collection decisions, payments, reports."""
