"""Outbound messages: the outbox, delivery through Twilio or the console, the 24-hour window."""
