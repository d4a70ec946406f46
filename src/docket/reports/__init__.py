"""Outputs made from the record: chronologies now; appeals, dossiers and communications later."""
