"""Booking: holds, decisions, expiry and appointments. One transaction per use case."""
