"""Forms for the administration of users."""

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectChoice, SelectField
from wtforms.validators import AnyOf, DataRequired, EqualTo, Length, ValidationError

from enforcement.auth.models import Role
from enforcement.auth.services import check_password_strength
from enforcement.core.errors import FieldErrors

ROLE_CHOICES = [SelectChoice(role.value, role.value.capitalize()) for role in Role]


class CreateUserForm(FlaskForm):
    email = EmailField("E-mail address", validators=[DataRequired(), Length(max=254)])
    role = SelectField("Role", choices=ROLE_CHOICES)
    password = PasswordField("Initial password", validators=[DataRequired(), Length(max=1024)])
    password_repeat = PasswordField(
        "Initial password, again",
        validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")],
    )

    def validate_password(self, field: PasswordField) -> None:
        """Apply the same strength rule as the service, so every problem shows at once."""
        try:
            check_password_strength(field.data, self.email.data or "")
        except FieldErrors as exc:
            raise ValidationError(" ".join(exc.errors["password"])) from None


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class ActiveForm(FlaskForm):
    """Reactivate ("1") or deactivate ("0") an account; the value comes from the button's form."""

    active = HiddenField(validators=[AnyOf(["0", "1"])])


def add_field_errors(form: FlaskForm, errors: dict[str, list[str]]) -> None:
    """Show a service's field errors next to the form's fields (or above the form)."""
    for name, messages in errors.items():
        if name in form:
            form[name].errors = [*form[name].errors, *messages]
        else:
            form.form_errors.extend(messages)
