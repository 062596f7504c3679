"""The service contract in one place: permission, transaction and audit user.

A service is decorated with `@service("app.rule", obj="keyword")`:

- before the service runs, `require(actor, rule, obj)` asks the same django-rules rule the view
  asks (`rules.has_perm(rule, actor, obj)`: the rule itself, so Django's superuser flag does not
  pass a service; a rule that is not registered refuses) and refuses with a translated `ValidationError`
  (code "forbidden") when it says no;
- the service runs in one `transaction.atomic()`;
- every historical row saved in it records `actor` as its user (`audit_user`);
- `actor=None` (the system: a task, the demo data) is accepted only when the service says so
  (`system=True`); otherwise it is refused like a person without the right.

The rule is the view's whole rule: who may act *and* in which state of the object. So that a
person still hears why (the proposal is not under discussion, the round is frozen) and not only
"forbidden", a service names its `state` check: a function of the (locked) object that raises the
state's own `ValidationError` (message and code). When the rule says no, the decorator asks `who`
(the "who" part of the rule, when given): a person without it is refused as "forbidden"; otherwise
the state check explains the refusal, and "forbidden" is the answer when it finds nothing wrong.
The state check also runs for the system (which passes no rule) and, as a safety net, when the rule
says yes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, TypeVar

import rules
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser as User  # common sits below accounts

F = TypeVar("F", bound=Callable[..., Any])

_UNSET = object()


def require(
    actor: User | None,
    rule: str,
    obj: object = None,
    *,
    system: bool = False,
    message: str | None = None,
) -> None:
    """Refuse unless `actor` has `rule` (for `obj`); `None` passes only when `system` is true."""
    if actor is None:
        if system:
            return
    elif actor.is_active and rules.has_perm(rule, actor, obj):
        return
    raise ValidationError(message or _("Only a civil servant can do this."), code="forbidden")


@contextmanager
def audit_user(actor: User | None) -> Iterator[None]:
    """Every historical row saved inside records `actor` (None: the system, also in a request).

    An instance's own `_history_user` still wins; this covers every other row saved in it.
    """
    context = HistoricalRecords.context
    previous = getattr(context, "request", _UNSET)
    # simple-history reads `context.request.user`; without a `user` it records no user.
    context.request = SimpleNamespace(user=actor) if actor is not None else SimpleNamespace()
    try:
        yield
    finally:
        if previous is _UNSET:
            del context.request
        else:
            context.request = previous


def service(
    rule: str,
    *,
    obj: str | Callable[[dict[str, Any]], object] | None = None,
    system: bool = False,
    message: str | Callable[[dict[str, Any]], str] | None = None,
    state: Callable[[Any], None] | None = None,
    who: str | None = None,
    load: Callable[[Any], object] | None = None,
) -> Callable[[F], F]:
    """Decorate a keyword-only service taking `actor`: check `rule` for the object named by `obj`
    (a keyword of the service, or a function of its keywords, read inside the transaction so it
    may lock), then run it in one transaction with `actor` as the audit user. `system=True`:
    `actor=None` may call it. `message` (or a function of the keywords giving it) is the
    refusal. `state` (a function of the object raising the state's own refusal) and `who` (the
    rule's "who" part): see the module's docstring. `load` (with `obj` a keyword) reads the
    object again inside the transaction, e.g. locked; the rule is asked of that object and the
    service receives it under its keyword, so it need not read it again."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if args:
                raise TypeError(f"{func.__name__}() takes keyword arguments only")
            if "actor" not in kwargs:
                raise TypeError(f"{func.__name__}() needs actor= (None for the system)")
            actor = kwargs["actor"]
            with transaction.atomic(), audit_user(actor):
                target = obj(kwargs) if callable(obj) else kwargs.get(obj) if obj else None
                if load is not None:
                    target = kwargs[obj] = load(target)
                try:
                    require(actor, rule, target, system=system)
                except ValidationError:
                    _explain_refusal(actor, target, state=state, who=who)
                    # Worded from the keywords only when refused: no reads when allowed.
                    text = message(kwargs) if callable(message) else message
                    raise ValidationError(
                        text or _("Only a civil servant can do this."), code="forbidden"
                    ) from None
                if state is not None:
                    state(target)
                return func(**kwargs)

        wrapper.rule = rule  # type: ignore[attr-defined]
        wrapper.who = who  # type: ignore[attr-defined]
        wrapper.system = system  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def _explain_refusal(
    actor: User | None, target: object, *, state: Callable[[Any], None] | None, who: str | None
) -> None:
    """Raise the state's own refusal when the state is why the rule said no (see the module)."""
    if state is None or actor is None or not actor.is_active:
        return
    if who is not None and not rules.has_perm(who, actor, target):
        return
    state(target)


def database_refusal(
    exc: Exception, words: str, refusal: Callable[[], ValidationError]
) -> ValidationError | None:
    """`refusal()` when `exc` is the database refusing a write by one of its own rules, known by
    `words` in its message (a rule by the database's clock, say, which may run ahead of this
    server's); None for any other error (an IntegrityError too)."""
    if isinstance(exc, IntegrityError) or not isinstance(exc, DatabaseError):
        return None
    return refusal() if words in str(exc) else None


@contextmanager
def refused_by_the_database(words: str, refusal: Callable[[], ValidationError]) -> Iterator[None]:
    """A transaction whose write the database refuses by the rule with `words` (see
    `database_refusal`) raises `refusal()`, the services' own words for it, instead of a
    server error; every other error is raised as it is."""
    try:
        with transaction.atomic():
            yield
    except DatabaseError as exc:
        if (error := database_refusal(exc, words, refusal)) is None:
            raise
        raise error from exc
