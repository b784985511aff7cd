// Draws the GeoJSON of a page on a Leaflet map. Works with no tile server at all: features and
// their labels are enough to find one's way; a tile layer is added only when one is configured.
document.querySelectorAll("[data-map]").forEach((element) => {
  const data = JSON.parse(document.getElementById(element.dataset.map).textContent);
  const map = L.map(element, { attributionControl: true });
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution || "" }).addTo(map);
  }
  // Indicator maps give each feature its colour ("fill") and, for points, a size ("radius").
  const layer = L.geoJSON(data, {
    style: (feature) =>
      feature.properties.fill
        ? { fillColor: feature.properties.fill, fillOpacity: 0.8, color: "#555", weight: 1 }
        : {},
    pointToLayer: (feature, latlng) =>
      L.circleMarker(latlng, {
        radius: feature.properties.radius || (feature.properties.main ? 8 : 5),
        weight: 1,
        fillColor: feature.properties.fill || "#3388ff",
        fillOpacity: feature.properties.fill ? 0.8 : 0.2,
      }),
    onEachFeature: (feature, marker) => {
      marker.bindTooltip(feature.properties.name);
      marker.on("click", () => { window.location.href = feature.properties.url; });
    },
  }).addTo(map);
  const bounds = layer.getBounds();
  if (bounds.isValid()) {
    map.fitBounds(bounds.pad(0.3), { maxZoom: 11 });
  } else {
    map.setView([22.8, 104.98], 8);
  }
});
