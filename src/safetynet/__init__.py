"""Safety Net: dynamic monitoring of the low-income population and social assistance (Henan)."""
