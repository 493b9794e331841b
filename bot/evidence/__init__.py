"""The forum's monthly evidence report: what is counted, and the report built from the counts."""
