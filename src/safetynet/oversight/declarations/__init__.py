"""Self-declarations (自主申报) in the township's queue: list, visit and outcome."""
