// Draws the GeoJSON of a page on a Leaflet map. Works with no tile server at all: features and
// their labels are enough to find one's way; a tile layer is added only when one is configured.
//
// Two ways to give the data:
//   data-map="ID"     one GeoJSON FeatureCollection in <script id="ID" type="application/json">
//   data-layers="ID"  a list of layers [{id, name, data, on, cluster}], each shown in a layer
//                     switcher; "cluster" groups nearby points into a count that zooms in.
//   data-sides="ID"   {line, names, points}: each side of the line named (places/map_context.py)
//   data-context="ID" a list of FeatureCollections drawn beneath (the line, place names)
// A feature's properties: name (tooltip), label (a name written on the map; kind "place": a
// point that is only a name), url (opened on click), fill / colour, radius, main,
// id and kind (CSS classes "bl-feature-<id>", "bl-kind-<kind>" on its shape), fills ({key: colour}: the colour used when a
// <select data-map-colour="MAP-ELEMENT-ID"> picks that key).

function blStyle(feature) {
  const p = feature.properties || {};
  if (p.fill) return { fillColor: p.fill, fillOpacity: 0.6, color: p.colour || "#555", weight: 1 };
  if (p.colour) return { color: p.colour, weight: 3 };
  return {};
}

function blFill(feature, colourBy) {
  const p = feature.properties || {};
  return (p.fills && colourBy && p.fills[colourBy]) || p.fill || "#3388ff";
}

function blPoint(feature, latlng, colourBy) {
  const p = feature.properties || {};
  if (p.kind === "place") {
    return L.circleMarker(latlng, { radius: 2, weight: 1, color: "#555", fillColor: "#555", fillOpacity: 1, interactive: false, className: "bl-place" });
  }
  return L.circleMarker(latlng, {
    radius: p.radius || (p.main ? 8 : 6),
    weight: 1,
    color: "#333",
    fillColor: blFill(feature, colourBy),
    fillOpacity: p.fill || p.fills ? 0.85 : 0.2,
    className: ["bl-feature", p.kind ? `bl-kind-${p.kind}` : "", p.id ? `bl-feature-${p.id}` : ""].join(" ").trim(),
  });
}

// Names are data (an incident's title, a unit's name): shown as text, never as HTML.
function blText(text) {
  const span = document.createElement("span");
  span.textContent = text;
  return span;
}

function blBind(feature, layer) {
  const p = feature.properties || {};
  // A place's name written on the map (in the page's language): text, never a control. A
  // layer holds one tooltip, and Leaflet sets up a tooltip's events once per layer: a label
  // takes the place of the hover name (the page's table carries the rest).
  if (p.label) {
    layer.bindTooltip(blText(p.label), { permanent: true, direction: "right", className: "bl-label", interactive: false });
  } else if (p.name) {
    layer.bindTooltip(blText(p.name));
  }
  if (p.url) layer.on("click", () => { window.location.href = p.url; });
}

// Names written on the map are hidden where they would cover one written before them (at this
// zoom): the first features of the data (the page puts the largest values first) keep theirs.
function blDeclutter(element) {
  const shown = [];
  element.querySelectorAll(".leaflet-tooltip.bl-label").forEach((label) => {
    label.style.visibility = "";
    const box = label.getBoundingClientRect();
    const covers = shown.some((b) => box.left < b.right && box.right > b.left && box.top < b.bottom && box.bottom > b.top);
    if (covers) {
      label.style.visibility = "hidden";
    } else {
      shown.push(box);
    }
  });
}

// Each side of the line named (map_context.sides: {line, names, points}): plain text on the
// map, not focusable, not a link. After every move each name is written beside the stretch of
// line nearest the middle of the view, on the side where that country's unit nearest to the
// stretch lies: right at any zoom, however the line winds.
function blSides(map, spec) {
  const OFFSET = 56; // pixels from the line
  const labels = {};
  Object.entries(spec.names).forEach(([country, name]) => {
    const text = document.createElement("span");
    text.textContent = name;
    const icon = L.divIcon({ html: text, className: `bl-side bl-side-${country}`, iconSize: null });
    labels[country] = L.marker(map.getCenter(), { icon, interactive: false, keyboard: false }).addTo(map);
  });
  const place = () => {
    const centre = map.latLngToContainerPoint(map.getCenter());
    const line = spec.line.map(([lon, lat]) => map.latLngToContainerPoint([lat, lon]));
    let best = null;
    for (let i = 0; i + 1 < line.length; i += 1) {
      const a = line[i];
      const b = line[i + 1];
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const length2 = dx * dx + dy * dy;
      if (!length2) continue;
      const t = Math.max(0, Math.min(1, ((centre.x - a.x) * dx + (centre.y - a.y) * dy) / length2));
      const at = L.point(a.x + t * dx, a.y + t * dy);
      const distance = at.distanceTo(centre);
      if (!best || distance < best.distance) {
        const length = Math.sqrt(length2);
        best = { at, distance, normal: L.point(-dy / length, dx / length) };
      }
    }
    if (!best) return;
    const taken = [];
    Object.entries(labels).forEach(([country, marker]) => {
      const points = (spec.points[country] || []).map(([lon, lat]) => map.latLngToContainerPoint([lat, lon]));
      let sign = 0;
      if (points.length) {
        const nearest = points.reduce((p, q) => (q.distanceTo(best.at) < p.distanceTo(best.at) ? q : p));
        sign = Math.sign((nearest.x - best.at.x) * best.normal.x + (nearest.y - best.at.y) * best.normal.y);
      }
      if (!sign || taken.includes(sign)) sign = taken.includes(1) ? -1 : 1;
      taken.push(sign);
      const at = L.point(best.at.x + sign * OFFSET * best.normal.x, best.at.y + sign * OFFSET * best.normal.y);
      marker.setLatLng(map.containerPointToLatLng(at));
    });
  };
  place();
  map.on("moveend zoomend", place);
}

function blGeoJSON(data, colourBy) {
  return L.geoJSON(data, {
    style: blStyle,
    pointToLayer: (feature, latlng) => blPoint(feature, latlng, colourBy),
    onEachFeature: blBind,
  });
}

// Points closer than CELL pixels at the current zoom become one numbered circle.
function blCluster(map, data, colourBy) {
  const CELL = 36;
  const group = L.featureGroup();
  const points = data.features.filter((f) => f.geometry && f.geometry.type === "Point");
  group.redraw = (by) => {
    group.clearLayers();
    const cells = new Map();
    points.forEach((feature) => {
      const [lon, lat] = feature.geometry.coordinates;
      const latlng = L.latLng(lat, lon);
      const pixel = map.project(latlng, map.getZoom());
      const key = `${Math.floor(pixel.x / CELL)}:${Math.floor(pixel.y / CELL)}`;
      if (!cells.has(key)) cells.set(key, []);
      cells.get(key).push([feature, latlng]);
    });
    cells.forEach((items) => {
      if (items.length === 1) {
        const [feature, latlng] = items[0];
        const layer = blPoint(feature, latlng, by);
        blBind(feature, layer);
        group.addLayer(layer);
        return;
      }
      const bounds = L.latLngBounds(items.map((item) => item[1]));
      const icon = L.divIcon({
        html: `<span>${items.length}</span>`,
        className: "bl-cluster",
        iconSize: [30, 30],
      });
      const names = items.map((item) => item[0].properties.name);
      const cluster = L.marker(bounds.getCenter(), { icon, keyboard: true, title: names.join("; ") });
      cluster.on("click", () => {
        const zoom = Math.min(map.getBoundsZoom(bounds.pad(0.5)), map.getMaxZoom());
        map.setView(bounds.getCenter(), Math.max(zoom, map.getZoom() + 2));
      });
      group.addLayer(cluster);
    });
  };
  group.bounds = () => L.latLngBounds(points.map((f) => L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0])));
  return group;
}

document.querySelectorAll("[data-map]").forEach((element) => {
  const map = L.map(element, { attributionControl: true, maxZoom: 18 });
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution || "" }).addTo(map);
  }
  const colourSelect = document.querySelector(`[data-map-colour="${element.id}"]`);
  let colourBy = colourSelect ? colourSelect.value : "";
  let bounds = L.latLngBounds([]);
  let focus = L.latLngBounds([]);
  const redraws = [];

  // Layers with names written on them are added once the map has a view: a permanent label
  // is placed on the map as it is added.
  const afterView = [];
  if (element.dataset.map) {
    const data = JSON.parse(document.getElementById(element.dataset.map).textContent);
    const layer = blGeoJSON(data, colourBy);
    bounds = layer.getBounds();
    afterView.push(layer);
  }
  if (element.dataset.layers) {
    const layers = JSON.parse(document.getElementById(element.dataset.layers).textContent);
    const overlays = {};
    map.setView([22.8, 104.98], 8);
    layers.forEach((spec) => {
      const layer = spec.cluster ? blCluster(map, spec.data, colourBy) : blGeoJSON(spec.data, colourBy);
      if (spec.cluster) {
        redraws.push(layer);
      } else {
        redraws.push({ redraw: (by) => layer.eachLayer((l) => l.feature && l.setStyle && l.feature.geometry.type === "Point" && l.setStyle({ fillColor: blFill(l.feature, by) })) });
      }
      const extent = spec.cluster ? layer.bounds() : layer.getBounds();
      if (extent.isValid()) {
        bounds.extend(extent);
        if (spec.id !== "line" && spec.id !== "sections") focus.extend(extent);
      }
      const label = document.createElement("span");
      label.dataset.layer = spec.id;
      label.textContent = `${spec.name} (${spec.data.features.length})`;
      overlays[label.outerHTML] = layer;
      if (spec.on !== false) layer.addTo(map);
    });
    L.control.layers(null, overlays, { collapsed: false }).addTo(map);
  }
  const target = focus.isValid() ? focus : bounds;
  if (target.isValid()) {
    map.fitBounds(target.pad(0.3), { maxZoom: 11 });
  } else {
    map.setView([22.8, 104.98], 8);
  }
  if (element.dataset.context) {
    // Context drawn beneath the page's own features, not counted in the view's extent: the
    // line, the places around.
    const context = JSON.parse(document.getElementById(element.dataset.context).textContent);
    context.forEach((data) => blGeoJSON(data, colourBy).addTo(map).bringToBack());
  }
  afterView.forEach((layer) => layer.addTo(map));
  blDeclutter(element);
  map.on("zoomend moveend", () => blDeclutter(element));
  if (element.dataset.sides) {
    blSides(map, JSON.parse(document.getElementById(element.dataset.sides).textContent));
  }
  const redrawAll = () => redraws.forEach((layer) => layer.redraw && layer.redraw(colourBy));
  redrawAll();
  map.on("zoomend", redrawAll);
  if (colourSelect) {
    colourSelect.addEventListener("change", () => { colourBy = colourSelect.value; redrawAll(); });
  }
  element.dataset.ready = "true";
});
