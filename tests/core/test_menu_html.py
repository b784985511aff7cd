"""base.html's menu groups written in Python (core/templatetags/menu.py) are, character for
character, what the template's loops wrote: for users of every kind of role, on pages that make
a link active, in each language, with text that needs escaping."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from borderlink.accounts.models import User
from borderlink.core.templatetags.menu import menu_groups
from borderlink.navigation import Group, Link, Navigation, Section

pytestmark = pytest.mark.django_db

# The loops base.html had, as they were.
LOOPS = Template(
    """{% for group in nav.groups %}
        <li class="nav-item dropdown" data-nav-group="{{ group.key }}">
          <button class="nav-link dropdown-toggle{% if group.active %} active{% endif %}" type="button" data-bs-toggle="dropdown" aria-expanded="false"{% if group.active %} aria-current="true"{% endif %}>{{ group.label }}</button>
          <div class="dropdown-menu bl-menu{% if group.sections|length > 2 %} bl-menu-wide{% endif %}">
            {% for section in group.sections %}
            <div class="bl-menu-section">
              {% if section.heading %}<div class="dropdown-header">{{ section.heading }}</div>{% elif not forloop.first %}<hr class="dropdown-divider">{% endif %}
              <ul class="list-unstyled mb-0">
                {% for link in section.links %}<li><a class="dropdown-item{% if link.active %} active{% endif %}" href="{{ link.url }}"{% if link.active %} aria-current="page"{% endif %}>{{ link.label }}</a></li>{% endfor %}
              </ul>
            </div>
            {% endfor %}
          </div>
        </li>
        {% endfor %}"""
)


class Nav:
    def __init__(self, groups: list[Group]) -> None:
        self.groups = groups


def both(nav: Navigation | Nav) -> tuple[str, str]:
    return LOOPS.render(Context({"nav": nav})), str(menu_groups(nav.groups))


@pytest.mark.parametrize("path", ["/", "/r/activities/", "/stats/", "/accounts/roles/"])
@pytest.mark.parametrize("language", ["vi", "en", "zh-hans"])
def test_the_menu_is_the_loops_html(
    path: str, language: str, editor: User, vixuyen_officer: User
) -> None:
    admin = User.objects.create_superuser("t-menu-admin", password="pw-for-tests-only")
    drawn = 0
    with translation.override(language):
        for user in (editor, vixuyen_officer, admin, AnonymousUser()):
            request = RequestFactory().get(path)
            request.user = user
            loops, python = both(Navigation(request))
            assert python == loops, (user, path, language)
            drawn += python.count("dropdown-item")
    assert drawn > 40  # the users above see a menu, not an empty one


def test_escaping_headings_and_sections_as_the_template_did() -> None:
    nav = Nav(
        [
            Group(
                "a<b",
                'Q&A "quoted"',
                [
                    Section("", [Link("<i>x</i>", "/x/?a=1&b=2", active=True)]),
                    Section("", [Link("y", "/y/")]),
                    Section("H & <h>", [Link("z", "/z/")]),
                ],
            ),
            Group("b", "B", [Section("", [])]),
        ]
    )
    loops, python = both(nav)
    assert python == loops
    assert "&lt;i&gt;" in python and "bl-menu-wide" in python and "dropdown-divider" in python
