// Membership maps: draws the world-atlas country shapes with d3-geo and colours the States the page passes in
// (a json_script beside each map). Shapes are keyed by ISO 3166-1 numeric codes, which are the M49 country codes
// the directory holds. Coloured States are links: hover and keyboard focus name them, Enter opens their page.
// States whose shape is missing or too small to point at are listed beside the map instead.
(() => {
  const SVG = "http://www.w3.org/2000/svg";
  const WIDTH = 960;
  const HEIGHT = 470;
  // Below this area (in viewBox units, about 4 × 4 px on a desktop) a shape is too small to see or point at.
  const SMALL_AREA = 16;
  const ANTARCTICA = "010";
  const atlases = new Map();

  function loadAtlas(url) {
    if (!atlases.has(url)) {
      atlases.set(
        url,
        fetch(url).then((response) => {
          if (!response.ok) throw new Error(`${url}: ${response.status}`);
          return response.json();
        }),
      );
    }
    return atlases.get(url);
  }

  function svgElement(name, attributes = {}) {
    const element = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
    return element;
  }

  function hatch(id) {
    const pattern = svgElement("pattern", {
      id,
      width: 6,
      height: 6,
      patternUnits: "userSpaceOnUse",
      patternTransform: "rotate(45)",
    });
    pattern.append(
      svgElement("rect", { width: 6, height: 6, class: "map-hatch-ground" }),
      svgElement("line", { x1: 1.5, y1: 0, x2: 1.5, y2: 6, class: "map-hatch-line" }),
    );
    return pattern;
  }

  // The whole world, or the part of it around one State (the State page), with the State's neighbours in view.
  function projection(focus) {
    const extent = [
      [2, 2],
      [WIDTH - 2, HEIGHT - 2],
    ];
    if (!focus) return d3.geoEqualEarth().fitExtent(extent, { type: "Sphere" });
    const centre = d3.geoCentroid(focus);
    const [[west, south], [east, north]] = d3.geoBounds(focus);
    const reach = Math.max(
      ...[
        [west, south],
        [west, north],
        [east, south],
        [east, north],
      ].map((corner) => (d3.geoDistance(centre, corner) * 180) / Math.PI),
    );
    const radius = Math.min(70, Math.max(18, reach * 1.6));
    return d3
      .geoEqualEarth()
      .rotate([-centre[0], 0])
      .fitExtent(extent, d3.geoCircle().center(centre).radius(radius)());
  }

  function showTooltip(canvas, tooltip, link, event) {
    tooltip.textContent = link.getAttribute("aria-label");
    tooltip.hidden = false;
    const box = canvas.getBoundingClientRect();
    let x;
    let y;
    if (event && event.clientX !== undefined) {
      x = event.clientX - box.left;
      y = event.clientY - box.top;
    } else {
      const shape = link.getBoundingClientRect();
      x = shape.left + shape.width / 2 - box.left;
      y = shape.top + shape.height / 2 - box.top;
    }
    const left = Math.max(0, Math.min(x + 12, box.width - tooltip.offsetWidth));
    tooltip.style.left = `${left}px`;
    tooltip.style.top = `${Math.max(0, y - tooltip.offsetHeight - 8)}px`;
  }

  function smallStateItem(entry) {
    const item = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = `map-swatch map-swatch-${entry.role}`;
    swatch.setAttribute("aria-hidden", "true");
    const link = document.createElement("a");
    link.href = entry.url;
    link.textContent = entry.name;
    link.title = entry.label;
    item.append(swatch, " ", link);
    return item;
  }

  function draw(figure, topology) {
    const canvas = figure.querySelector("[data-map-canvas]");
    const entries = JSON.parse(figure.querySelector("script[type='application/json']").textContent);
    const byCode = new Map(entries.map((entry) => [entry.m49, entry]));
    const countries = topojson
      .feature(topology, topology.objects.countries)
      .features.filter((feature) => feature.id !== ANTARCTICA);
    const focus = figure.dataset.focus && countries.find((feature) => feature.id === figure.dataset.focus);
    const path = d3.geoPath(projection(focus));

    const svg = svgElement("svg", {
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      class: "membership-map-svg",
      role: "group",
      "aria-label": figure.dataset.mapName,
    });
    const hatchId = `${figure.id}-hatch`;
    const defs = svgElement("defs");
    defs.append(hatch(hatchId));
    svg.append(defs, svgElement("path", { d: path({ type: "Sphere" }), class: "map-sphere" }));
    const plain = svgElement("g", { class: "map-plain", "aria-hidden": "true" });
    const coloured = svgElement("g", { class: "map-coloured" });
    const drawn = new Set();
    for (const feature of countries) {
      const entry = byCode.get(feature.id);
      const shape = svgElement("path", { d: path(feature), class: "map-state" });
      if (!entry) {
        plain.append(shape);
        continue;
      }
      shape.classList.add(`map-${entry.role}`);
      if (entry.role === "observer") shape.setAttribute("fill", `url(#${hatchId})`);
      const link = svgElement("a", { href: entry.url, "aria-label": entry.label, "data-m49": entry.m49 });
      link.append(shape);
      coloured.append(link);
      if (path.area(feature) >= SMALL_AREA) drawn.add(entry.m49);
    }
    svg.append(plain, coloured);

    const tooltip = document.createElement("div");
    tooltip.className = "map-tooltip";
    tooltip.hidden = true;
    tooltip.setAttribute("aria-hidden", "true");
    tooltip.dataset.testid = "map-tooltip";
    canvas.replaceChildren(svg, tooltip);

    const hide = () => {
      tooltip.hidden = true;
    };
    coloured.addEventListener("pointermove", (event) => {
      const link = event.target.closest("a[data-m49]");
      if (link) showTooltip(canvas, tooltip, link, event);
    });
    coloured.addEventListener("pointerleave", hide);
    // On the HTML canvas, not the SVG: Chrome makes an SVG element with focus listeners a tab stop of its own.
    canvas.addEventListener("focusin", (event) => {
      const link = event.target.closest("a[data-m49]");
      if (link) showTooltip(canvas, tooltip, link);
    });
    canvas.addEventListener("focusout", hide);

    const small = entries.filter((entry) => !drawn.has(entry.m49));
    const smallBox = figure.querySelector("[data-map-small]");
    if (smallBox && small.length) {
      smallBox.querySelector("ul").replaceChildren(...small.map(smallStateItem));
      smallBox.hidden = false;
    }
  }

  function init(figure) {
    if (figure.dataset.mapReady) return;
    figure.dataset.mapReady = "loading";
    loadAtlas(figure.dataset.atlas)
      .then((topology) => {
        draw(figure, topology);
        figure.dataset.mapReady = "drawn";
      })
      .catch(() => {
        const message = document.createElement("p");
        message.className = "small text-body-secondary";
        message.textContent = figure.dataset.mapFailed;
        figure.querySelector("[data-map-canvas]").replaceChildren(message);
        figure.dataset.mapReady = "failed";
      });
  }

  // htmx calls this for the page and again for every swapped-in fragment (the directory's filters).
  htmx.onLoad((root) => {
    const figures = root.matches?.("[data-membership-map]") ? [root] : root.querySelectorAll("[data-membership-map]");
    figures.forEach(init);
  });
})();
