"""Recoveries (追回), repayments and the household's credit mark (信用)."""
