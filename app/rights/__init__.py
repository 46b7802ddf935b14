"""Patients' data rights: the legal deadlines and the register of requests."""
