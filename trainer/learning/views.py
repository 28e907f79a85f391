"""The public home page and the learner's dashboard."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask.typing import ResponseReturnValue

from trainer.accounts.roles import login_required

bp = Blueprint("learning", __name__)


@bp.get("/")
def home() -> ResponseReturnValue:
    professions = current_app.extensions["trainer.professions"]
    return render_template("learning/home.html", professions=professions.values())


@bp.get("/dashboard")
@login_required
def dashboard() -> ResponseReturnValue:
    return render_template("learning/dashboard.html")
