"""Availability rules -> bookable time slots: pure rules, and the service that stores them."""
