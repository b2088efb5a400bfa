"""Sign-in and user management, as plain functions over a session."""

import functools
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from enforcement.auth.models import Role, SignInAttempt, User
from enforcement.core.errors import Conflict, DomainError, FieldErrors, NotFound
from enforcement.core.time import utcnow
from enforcement.core.validation import normalize_email

MIN_PASSWORD_LENGTH = 12
# Compared against when the e-mail is unknown, so a wrong address costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")
# werkzeug's default (scrypt). The test configuration picks a cheaper method through
# PASSWORD_HASH_METHOD; production keeps this one.
password_hash_method = "scrypt"  # noqa: S105  (a method name)


def hash_password(password: str) -> str:
    """Return a salted hash of the password with the configured method."""
    return generate_password_hash(password, method=password_hash_method)


class SignInFailed(DomainError):
    """Wrong e-mail or password, or a deactivated account."""

    status_code = 401


class SignInLocked(DomainError):
    """Too many failed sign-ins in a row for this e-mail address."""

    status_code = 429


class EmailTaken(Conflict):
    """Another user already has this e-mail address; ``errors`` names the field, as FieldErrors."""

    def __init__(self, email: str):
        super().__init__(f"A user with e-mail address {email} already exists.")
        self.errors = {"email": [self.message]}


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 5
    lockout: timedelta = timedelta(minutes=15)


@functools.cache
def common_passwords() -> frozenset[str]:
    """Return the passwords shipped as too common (common_passwords.txt), lower-cased."""
    text = (Path(__file__).parent / "common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def check_password_strength(password: str, email: str = "") -> None:
    """Raise FieldErrors when a password is too weak to accept: short, common, or holding
    the e-mail address's name."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise FieldErrors({"password": [f"Use at least {MIN_PASSWORD_LENGTH} characters."]})
    if password.strip().lower() in common_passwords():
        raise FieldErrors(
            {"password": ["This password is one of the most common; choose another."]}
        )
    name = (email or "").partition("@")[0].strip().lower()
    if len(name) >= 3 and name in password.lower():
        raise FieldErrors(
            {"password": ["The password may not contain your e-mail address's name."]}
        )


def lockout_ends_at(
    session: Session, email: str, *, policy: LockoutPolicy, now: datetime
) -> datetime | None:
    """Return when the lock on this address ends, or None when it is not locked."""
    last_success = session.scalar(
        sa.select(sa.func.max(SignInAttempt.attempted_at)).where(
            SignInAttempt.email == email, SignInAttempt.succeeded.is_(True)
        )
    )
    query = (
        sa.select(SignInAttempt.attempted_at)
        .where(
            SignInAttempt.email == email,
            SignInAttempt.succeeded.is_(False),
            SignInAttempt.attempted_at > now - policy.lockout,
        )
        .order_by(SignInAttempt.attempted_at.desc())
        .limit(policy.max_failures)
    )
    if last_success is not None:
        query = query.where(SignInAttempt.attempted_at > last_success)
    failures = session.scalars(query).all()
    if len(failures) < policy.max_failures:
        return None
    return failures[0] + policy.lockout


def sign_in(
    session: Session,
    email: str,
    password: str,
    *,
    remote_addr: str | None,
    policy: LockoutPolicy,
    known_device: bool = False,
    now: datetime | None = None,
) -> User:
    """Check credentials, record the attempt and return the user, or raise SignInFailed/Locked.

    A known device (one this address signed in from before) is not held by the address's
    lock-out, so others' failures cannot lock the user out; the rate limits still hold it.
    """
    now = now or utcnow()
    email = (email or "").strip().lower()
    locked_until = None if known_device else lockout_ends_at(session, email, policy=policy, now=now)
    if locked_until is not None:
        minutes = max(1, math.ceil((locked_until - now).total_seconds() / 60))
        raise SignInLocked(
            f"Too many failed sign-ins for this address. Try again in {minutes} minute(s)."
        )
    user = session.scalar(sa.select(User).where(User.email == email))
    password_ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password or "")
    succeeded = bool(user and password_ok and user.active)
    session.add(
        SignInAttempt(email=email, succeeded=succeeded, attempted_at=now, remote_addr=remote_addr)
    )
    session.flush()
    if not succeeded:
        if user and password_ok and not user.active:
            raise SignInFailed("This account is deactivated. Ask an administrator.")
        raise SignInFailed("E-mail address or password is wrong.")
    user.last_sign_in_at = now
    return user


def create_user(
    session: Session, *, email: str, password: str, role: Role | str, actor: User | None
) -> User:
    """Create a user with a hashed password; refuse a duplicate e-mail address."""
    errors: dict[str, list[str]] = {}
    try:
        email = normalize_email(email)
    except ValueError as exc:
        errors["email"] = [str(exc)]
    try:
        role = Role(role)
    except ValueError:
        errors["role"] = [f"Choose one of: {', '.join(r.value for r in Role)}."]
    try:
        check_password_strength(password, email)
    except FieldErrors as exc:
        errors.update(exc.errors)
    if errors:
        raise FieldErrors(errors)
    if session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise EmailTaken(email)
    user = User(email=email, password_hash=hash_password(password), role=role)
    try:
        with session.begin_nested():  # a concurrent create of the same address loses cleanly
            session.add(user)
    except IntegrityError:
        raise EmailTaken(email) from None
    return user


def end_sessions(session: Session, user: User) -> None:
    """End every session of the user, in every app process: their session ids stop matching."""
    user.session_version = User.session_version + 1  # in SQL, so concurrent bumps both count
    session.flush()
    session.refresh(user, ["session_version"])


def get_user(session: Session, user_id: int) -> User:
    """Return a user by id or raise NotFound."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


def _refuse_last_admin_loss(session: Session, user: User) -> None:
    others = session.scalar(
        sa.select(sa.func.count(User.id)).where(
            User.role == Role.ADMIN, User.active.is_(True), User.id != user.id
        )
    )
    if user.role == Role.ADMIN and user.active and not others:
        raise Conflict("This is the last active administrator; appoint another one first.")


def change_role(session: Session, user: User, role: Role | str, *, actor: User) -> User:
    """Give a user another role; the last active administrator keeps theirs."""
    role = Role(role)
    if role != Role.ADMIN:
        _refuse_last_admin_loss(session, user)
    if user.role != role:
        user.role = role
        end_sessions(session, user)
    session.flush()
    return user


def set_active(session: Session, user: User, active: bool, *, actor: User) -> User:
    """Activate or deactivate a user; nobody deactivates themselves or the last administrator."""
    if not active:
        if user.id == actor.id:
            raise Conflict("You cannot deactivate your own account.")
        _refuse_last_admin_loss(session, user)
    if user.active and not active:
        end_sessions(session, user)
    user.active = active
    session.flush()
    return user


def set_password(session: Session, user: User, password: str) -> None:
    """Replace a user's password with a new, hashed one."""
    check_password_strength(password, user.email)
    user.password_hash = hash_password(password)
    end_sessions(session, user)
