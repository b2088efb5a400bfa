"""The upload form for a notices file or the monitor's check log."""

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from enforcement.core.tabular import detect_format

FORMAT_CHOICES = [
    SelectChoice("auto", "From the file name (.csv, .jsonl)"),
    SelectChoice("csv", "CSV with a header row"),
    SelectChoice("jsonl", "JSON Lines"),
]


class UploadForm(FlaskForm):
    file = FileField("File", validators=[FileRequired("Choose a file to upload.")])
    source = StringField(
        "Source",
        default="hotline",
        validators=[DataRequired(), Length(max=100),
                    Regexp(r"^[^\x00-\x1f\x7f]*$", message="No control characters.")],
    )  # fmt: skip
    file_format = SelectField("Format", choices=FORMAT_CHOICES, default="auto")
    checks = BooleanField("The file is the monitor's check log, not notices")
    skip_invalid = BooleanField("Skip invalid rows and import the valid ones")
    assume_tz = StringField(
        "Time zone for timestamps without a UTC offset",
        validators=[Optional(), Length(max=64)],
    )

    def validate_assume_tz(self, field: StringField) -> None:
        try:
            ZoneInfo(field.data.strip())
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValidationError(
                "Unknown time zone; use a name such as Europe/Amsterdam or UTC."
            ) from None

    def validate_file_format(self, field: SelectField) -> None:
        if field.data == "auto" and self.file.data and self.resolved_format() is None:
            raise ValidationError("The file name does not tell; choose CSV or JSON Lines.")

    def resolved_format(self) -> str | None:
        """Return csv or jsonl, from the choice or else the file name; None when unknown."""
        declared = None if self.file_format.data == "auto" else self.file_format.data
        try:
            return detect_format(Path(self.file.data.filename or ""), declared)
        except ValueError:
            return None

    def zone(self) -> ZoneInfo | None:
        return ZoneInfo(self.assume_tz.data.strip()) if self.assume_tz.data else None
