"""common/frames.py: a layout part is rendered once per kind of visitor and kept; each visitor's
own text goes into its holes, escaped; what a frame shows can only come from its key."""

from functools import cache

import pytest
from django.template import Context, Engine, TemplateSyntaxError
from django.test import Client

from common import frames
from tests.accounts.factories import UserFactory

PAGE = '{% load frames %}[{% frame "frame.html" "tests.test_frames.values" %}]'
builds = []


def values(context):
    """The test frame's values: `kind` is fixed, `name` and `safe` are holes."""
    return {"kind": context.get("kind")}, {
        "name": context.get("name", ""),
        "safe": context.get("safe", ""),
    }


@pytest.fixture(autouse=True)
def nothing_kept(monkeypatch):
    frames.forget()
    builds.clear()
    real = frames.build

    def counted(*args):
        builds.append(args[1:3])
        return real(*args)

    monkeypatch.setattr(frames, "build", counted)
    yield
    frames.forget()


@cache
def engine(frame: str) -> Engine:
    locmem = ("django.template.loaders.locmem.Loader", {"frame.html": frame, "page.html": PAGE})
    return Engine(libraries={"frames": "common.frames"}, loaders=[locmem])


def page(frame: str, *, autoescape: bool = True, **context) -> str:
    return engine(frame).get_template("page.html").render(Context(context, autoescape=autoescape))


FRAME = (
    "{% if kind == 'a' %}A{% else %}B{% endif %} {{ hole.name }}/{{ hole.name }}|{{ hole.safe }}"
)


def test_a_frame_is_built_once_per_kind_and_shows_each_visitors_own_text():
    assert page(FRAME, kind="a", name="Ans") == "[A Ans/Ans|]"
    assert page(FRAME, kind="a", name="Bert") == "[A Bert/Bert|]"
    assert page(FRAME, kind="b", name="Cor") == "[B Cor/Cor|]"
    assert [fixed for _name, fixed in builds] == [{"kind": "a"}, {"kind": "b"}]


def test_a_hole_is_escaped_as_the_template_would_unless_it_is_marked_safe():
    from django.utils.safestring import mark_safe

    shown = page(FRAME, kind="a", name='<b>"x" & y</b>', safe=mark_safe("<i>ok</i>"))
    assert (
        shown
        == "[A &lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;/&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;|<i>ok</i>]"
    )
    # with autoescape off the frame is built again (its own key) and nothing is escaped
    assert page(FRAME, autoescape=False, kind="a", name="<b>") == "[A <b>/<b>|]"
    assert len(builds) == 2


def test_a_frame_sees_only_its_fixed_values_and_holes():
    # `name` is in the page's context, but the frame template asks for it directly: not given
    assert page("{{ name }}{{ kind }}{{ hole.name }}", kind="k", name="Ans") == "[kAns]"


@pytest.mark.parametrize(
    "frame",
    [
        "{{ hole.name|upper }}",
        "{% if hole.name %}x{% endif %}",
        "{% for c in hole.name %}{{ c }}{% endfor %}",
        "{% with n=hole.name %}{{ n }}{% endwith %}",
    ],
)
def test_a_hole_may_only_be_printed_as_it_is(frame):
    with pytest.raises(TemplateSyntaxError, match="only be printed as it is"):
        page(frame, kind="a", name="Ans")


def test_a_frame_may_not_include_another_template():
    with pytest.raises(TemplateSyntaxError, match="may not include or extend"):
        page('{% include "page.html" %}', kind="a")


def test_when_too_many_are_kept_all_are_forgotten(monkeypatch):
    monkeypatch.setattr(frames, "MAX_KEPT", 3)
    for kind in "abcd":
        page(FRAME, kind=kind)
    assert len(frames._kept) == 1  # a, b, c kept; d found three and started again
    page(FRAME, kind="a")
    assert len(builds) == 5


def test_a_changed_setting_forgets_the_kept_frames(settings):
    page(FRAME, kind="a")
    settings.LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
    page(FRAME, kind="a")
    assert len(builds) == 2


@pytest.mark.django_db
def test_the_header_shows_a_visitors_own_name_escaped_after_another_visitor(client):
    UserFactory(username="eerste")
    odd = UserFactory(username='a<b>&"c')
    for username in ("eerste", 'a<b>&"c'):
        visitor = Client()
        visitor.force_login(
            odd if username != "eerste" else UserFactory._meta.model.objects.get(username="eerste")
        )
        html = visitor.get("/voorstellen/?x=%22%3E").content.decode()
        shown = html.split('data-testid="current-user">', 1)[1].split("</strong>", 1)[0]
        assert shown == ("eerste" if username == "eerste" else "a&lt;b&gt;&amp;&quot;c")
        assert 'name="next" type="hidden" value="/voorstellen/?x=%22%3E"' in html
