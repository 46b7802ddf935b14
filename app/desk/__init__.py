"""The practice's web desk: sign-in, members, the audit log. Pages live in app/web/desk.py."""
