"""base.html's menu, its groups written in Python (issue 18).

The template's three nested loops over the menu's forty-odd links, with their `if`s and
look-ups, cost about 2 ms of every page's 30 (bench/lists.py); here the same HTML, character for
character (tests/core/test_menu_html.py holds it to the loops it replaces), costs a tenth of it.
The groups are duck-typed (navigation.Navigation's): core names nothing above it.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def menu_groups(groups: Any) -> SafeString:
    """What `{% for group in nav.groups %}…{% endfor %}` wrote in base.html."""
    return mark_safe("".join(_group(group) for group in groups))


def _group(group: Any) -> str:
    active = group.active
    on = " active" if active else ""
    current = ' aria-current="true"' if active else ""
    wide = " bl-menu-wide" if len(group.sections) > 2 else ""
    sections = "".join(_section(section, i == 0) for i, section in enumerate(group.sections))
    return (
        f'\n        <li class="nav-item dropdown" data-nav-group="{conditional_escape(group.key)}">'
        f'\n          <button class="nav-link dropdown-toggle{on}" type="button" '
        f'data-bs-toggle="dropdown" aria-expanded="false"{current}>'
        f"{conditional_escape(group.label)}</button>"
        f'\n          <div class="dropdown-menu bl-menu{wide}">'
        f"\n            {sections}\n          </div>\n        </li>\n        "
    )


def _section(section: Any, first: bool) -> str:
    if section.heading:
        head = f'<div class="dropdown-header">{conditional_escape(section.heading)}</div>'
    elif not first:
        head = '<hr class="dropdown-divider">'
    else:
        head = ""
    links = "".join(_link(link) for link in section.links)
    return (
        f'\n            <div class="bl-menu-section">\n              {head}'
        f'\n              <ul class="list-unstyled mb-0">\n                {links}'
        "\n              </ul>\n            </div>\n            "
    )


def _link(link: Any) -> str:
    on = " active" if link.active else ""
    current = ' aria-current="page"' if link.active else ""
    return (
        f'<li><a class="dropdown-item{on}" href="{conditional_escape(link.url)}"{current}>'
        f"{conditional_escape(link.label)}</a></li>"
    )
