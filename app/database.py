"""The app's handle on the database: one engine and one session factory per process."""

from __future__ import annotations

from flask import Flask, current_app
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.db import make_engine, make_sessionmaker

EXTENSION_KEY = "citabot.database"


class Database:
    """Engine plus session factory. Engines connect lazily, so building one is free."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = make_engine(url)
        self.sessions: sessionmaker[Session] = make_sessionmaker(self.engine)

    def init_app(self, app: Flask) -> None:
        app.extensions[EXTENSION_KEY] = self


def get_database(app: Flask | None = None) -> Database:
    """The database of `app`, or of the app handling the current request or command."""
    return (app or current_app).extensions[EXTENSION_KEY]
