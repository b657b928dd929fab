"""axe-core (from npm, never a CDN) and focus checks shared by the accessibility browser tests."""

from pathlib import Path

from django.conf import settings

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA: the rules the UN publishes to.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_install(context):
    """Load axe-core into every page of the context. An init script, not a script tag: the portal's Content
    Security Policy (script-src 'self') refuses inline scripts, and the pages must be checked under it."""
    context.add_init_script(path=str(AXE))


def axe_violations(page) -> list[str]:
    """Every axe-core violation of the WCAG A/AA rules on the page as it is now, one line per element."""
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        f"{violation['id']} ({violation['impact']}) {node['target'][-1]}: {_summary(node)}"
        for violation in result["violations"]
        for node in violation["nodes"][:MAX_NODES]
    ]


MAX_NODES = 5  # per rule and page: enough to see a pattern, short enough to read


def _summary(node) -> str:
    lines = [line.strip() for line in node["failureSummary"].splitlines() if line.strip()]
    return " ".join(lines[1:] or lines)


# The focused element and its focus indicator as the browser draws it: an outline at least 2px wide (its colour's
# contrast against the background it is drawn on, the nearest opaque background around the element since the ring
# sits outside it) or a box-shadow.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const rgb = value => (value.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const channel = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  let around = el.parentElement, background = [255, 255, 255];
  while (around) {
    const colour = rgb(getComputedStyle(around).backgroundColor);
    if (colour.length === 3 || (colour.length === 4 && colour[3] === 1)) { background = colour.slice(0, 3); break; }
    around = around.parentElement;
  }
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const [lighter, darker] = [luminance(rgb(style.outlineColor)), luminance(background)].sort((a, b) => b - a);
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.getAttribute('aria-label') || el.innerText || el.value || '').trim().slice(0, 60),
    outline: outline ? style.outlineColor : null,
    contrast: outline ? Math.round((lighter + 0.05) / (darker + 0.05) * 100) / 100 : null,
    shadow: style.boxShadow !== 'none' ? style.boxShadow : null,
  };
}"""


def focused(page) -> dict | None:
    """The element that has the keyboard focus and how its focus indicator is drawn (None: nothing focused)."""
    return page.evaluate(FOCUS_STATE)


def focus_problem(state) -> str | None:
    """Why the focus indicator fails (no indicator, or an outline under 3:1 against its surroundings), or None."""
    if state is None:
        return "nothing has the focus"
    if state["outline"]:
        return None if state["contrast"] >= 3 else f"outline {state['outline']} at {state['contrast']}:1 on {state}"
    return None if state["shadow"] else f"no focus indicator on {state}"
