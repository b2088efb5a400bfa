"""The compliance of one removal order as JSON, for signed-in staff (no URL in it)."""

from flask import Blueprint, current_app, jsonify

from enforcement.core.time import utcnow
from enforcement.core.web import roles_required
from enforcement.extensions import db
from enforcement.orders import queries
from enforcement.orders.exports import compliance_json
from enforcement.orders.services import READERS

bp = Blueprint("orders_api", __name__)


@bp.get("/<string(maxlength=60):reference>")
@roles_required(*READERS)
def compliance(reference: str):
    order = queries.get_order_by_reference(db.session, reference)  # drafts have none
    (found,) = queries.order_compliance(
        db.session, [order], as_of=utcnow(),
        failures_for_offline=current_app.config["CHECK_FAILURES_FOR_OFFLINE"],
    )  # fmt: skip
    return jsonify(compliance_json(found))
