"""Pages for verifiers (batch checks from a CSV) and site admins (revoke, re-issue)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from trainer import db
from trainer.accounts.roles import roles_required
from trainer.audit import record_event
from trainer.certificates import batch_store, services
from trainer.certificates.batch import (
    MAX_BYTES,
    SUMMARY,
    BatchRequest,
    UploadError,
    check_batch,
    read_upload,
    too_large_message,
)
from trainer.certificates.ids import InvalidCertificateId, parse_certificate_id
from trainer.certificates.verification import (
    find_certificate,
    public_view,
    verify_ids,
    verify_licences,
)
from trainer.certificates.views import issuer, today
from trainer.downloads import csv_response, separator
from trainer.models import Certificate, User
from trainer.rate_limits import batch_per_client, batch_per_verifier, charge_licence_lookups
from trainer.request_limits import MULTIPART_OVERHEAD, upload_limit

bp = Blueprint("manage_certificates", __name__)


class BatchForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file."))])


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"), validators=[InputRequired(), Length(min=5, max=500)], render_kw={"rows": 3}
    )


class RevokeForm(ReasonForm):
    """Revoking takes two steps: the reason, then a page that asks to confirm it."""

    confirm = HiddenField(default="")


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a search changes nothing

    q = StringField(_l("Certificate id or learner email"))


GROUPS = {
    "valid": _l("Valid"),
    "revoked": _l("Revoked"),
    "expired": _l("Expired"),
    "superseded": _l("Replaced by a newer certificate"),
    "not_found": _l("Not found"),
    "invalid": _l("Not a certificate id"),
}


@bp.app_template_global("batch_group")
def batch_group(code: str) -> str:
    """The summary's name for a group of results, in the reader's language."""
    return str(GROUPS.get(code, code))


@bp.route("/verify/batch", methods=["GET", "POST"])
@upload_limit(MAX_BYTES + MULTIPART_OVERHEAD, too_large_message)
@roles_required("verifier")
@batch_per_verifier
@batch_per_client
def batch() -> ResponseReturnValue:
    form = BatchForm()
    error = None
    status = 400
    if form.validate_on_submit():
        try:
            upload = read_upload(form.file.data.read())
        except UploadError as problem:
            error = str(problem)
        else:
            error = charge_licence_lookups(len(upload.licences))
            status = 429
        if error is None:
            return _batch_results(upload)
    status = status if error or form.errors else 200
    return render_template("certificates/batch.html", form=form, error=error), status


def _batch_results(upload: BatchRequest) -> ResponseReturnValue:
    """Check the rows, keep the results for the download, and show their summary."""
    session = db.session()
    base_url = issuer().base_url
    result = check_batch(
        upload,
        lambda ids: verify_ids(session, ids, today(), base_url),
        lambda licences: verify_licences(session, licences, today(), base_url),
    )
    record_event(
        session, "certificate.verify_batch", actor=current_user, via="csv", rows=len(upload.lines)
    )
    session.commit()
    token = batch_store.save(current_app.instance_path, current_user.id, result)
    return render_template(
        "certificates/batch_results.html",
        result=result,
        groups=SUMMARY,
        token=token,
        uploaded_sep="semicolon" if upload.delimiter == ";" else "comma",
        rows=len(upload.lines),
    )


@bp.get("/verify/batch/<token>.csv")
@roles_required("verifier")
def batch_download(token: str) -> ResponseReturnValue:
    """The results of a check made in the last hour by the same verifier; ``?sep=;``."""
    result = batch_store.load(current_app.instance_path, current_user.id, token)
    if result is None:
        abort(404, _("These results are no longer kept (one hour): upload the file again."))
    return csv_response(result.csv(separator(request.args)), "verification-results.csv")


@bp.get("/admin/certificates")
@roles_required("admin")
def admin_search() -> ResponseReturnValue:
    form = SearchForm(request.args)
    query = (form.q.data or "").strip()
    found: list[Certificate] = []
    if query:
        try:
            certificate = find_certificate(db.session(), parse_certificate_id(query))
            found = [certificate] if certificate else []
        except InvalidCertificateId:
            found = list(
                db.session().scalars(
                    select(Certificate)
                    .join(User, Certificate.user_id == User.id)
                    .where(User.email == query.lower())
                    .order_by(Certificate.issued_at.desc())
                )
            )
    base_url = issuer().base_url
    return render_template(
        "certificates/admin_search.html",
        form=form,
        query=query,
        found=[(c, public_view(c, today(), base_url)) for c in found],
    )


def _certificate_or_404(cert_id: str, *, lock: bool = False) -> Certificate:
    try:
        certificate = find_certificate(db.session(), parse_certificate_id(cert_id), lock=lock)
    except InvalidCertificateId:
        abort(404)
    if certificate is None:
        abort(404)
    return certificate


@bp.get("/admin/certificates/<cert_id>")
@roles_required("admin")
def admin_certificate(cert_id: str) -> ResponseReturnValue:
    certificate = _certificate_or_404(cert_id)
    return _admin_page(certificate, RevokeForm(prefix="revoke"), ReasonForm(prefix="reissue"))


def _admin_page(certificate: Certificate, revoke: ReasonForm, reissue: ReasonForm) -> str:
    return render_template(
        "certificates/admin_certificate.html",
        certificate=certificate,
        view=public_view(certificate, today(), issuer().base_url),
        revoke_form=revoke,
        reissue_form=reissue,
    )


@bp.post("/admin/certificates/<cert_id>/revoke")
@roles_required("admin")
def admin_revoke(cert_id: str) -> ResponseReturnValue:
    certificate = _certificate_or_404(cert_id, lock=True)
    form = RevokeForm(prefix="revoke")
    if not form.validate_on_submit():
        return _admin_page(certificate, form, ReasonForm(prefix="reissue")), 400
    if form.confirm.data != "yes":
        # The second step: say what will happen, and revoke only on a second submission.
        return render_template(
            "certificates/confirm_revoke.html",
            certificate=certificate,
            view=public_view(certificate, today(), issuer().base_url),
            form=form,
        )
    try:
        services.revoke_certificate(db.session(), certificate, form.reason.data, current_user)
    except services.CertificateError as error:
        flash(str(error), "error")
        return redirect(url_for(".admin_certificate", cert_id=certificate.id))
    db.session().commit()
    flash(_("The certificate is revoked. The verify page and the API now say so."), "success")
    return redirect(url_for(".admin_certificate", cert_id=certificate.id))


@bp.post("/admin/certificates/<cert_id>/reissue")
@roles_required("admin")
def admin_reissue(cert_id: str) -> ResponseReturnValue:
    certificate = _certificate_or_404(cert_id, lock=True)
    form = ReasonForm(prefix="reissue")
    if not form.validate_on_submit():
        return _admin_page(certificate, RevokeForm(prefix="revoke"), form), 400
    try:
        replacement = services.reissue_certificate(
            db.session(), certificate, issuer(), current_user, form.reason.data
        )
    except (services.CertificateError, services.RetiredSigningKey) as error:
        flash(str(error), "error")
        return redirect(url_for(".admin_certificate", cert_id=certificate.id))
    db.session().commit()
    flash(_("A new certificate replaces the old one, which now verifies as replaced."), "success")
    return redirect(url_for(".admin_certificate", cert_id=replacement.id))
