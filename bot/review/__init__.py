"""Volunteer review dashboard: escalated questions answered by the parent carer forum."""
