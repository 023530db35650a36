//! The alignment network: actors as nodes; edges for what they did to each other over a
//! window, and for who backs whom.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use chrono::NaiveDate;
use serde::Serialize;

use crate::{EventView, Obs};

/// An actor of the network, by its actor code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    pub id: String,
    pub label: String,
    pub country: Option<String>,
    /// Events it took part in, as source or target.
    pub events: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EdgeKind {
    /// What the source did to the target.
    Interaction,
    /// The source is backed by the target (a proxy and its patron).
    Patron,
}

/// A directed edge.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edge {
    pub source: String,
    pub target: String,
    pub kind: EdgeKind,
    pub events: u32,
    /// Events of QuadClass 1 and 2.
    pub cooperation: u32,
    /// Events of QuadClass 3 and 4.
    pub conflict: u32,
    pub goldstein_sum: f64,
    /// Mean Goldstein score: the edge's sign and strength, from -10 (war) to +10.
    pub weight: f64,
    /// The events behind it: the earliest 1,000 by date (then id).
    pub event_ids: Vec<String>,
}

/// A patron of an actor, as the registry or the text states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatronLink {
    /// The client's actor code ("IRQREB" for an Iran-backed Iraqi militia).
    pub client: String,
    pub client_label: String,
    /// The patron's actor code: a country code for a state ("IRN").
    pub patron: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Network {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

const MAX_EDGE_EVENTS: usize = 1000;

impl Edge {
    fn empty(source: &str, target: &str, kind: EdgeKind) -> Self {
        Self {
            source: source.to_string(),
            target: target.to_string(),
            kind,
            events: 0,
            cooperation: 0,
            conflict: 0,
            goldstein_sum: 0.0,
            weight: 0.0,
            event_ids: Vec::new(),
        }
    }
}

/// The network built one event at a time.
#[derive(Debug, Default)]
pub struct NetworkBuilder {
    nodes: HashMap<String, Node>,
    /// Source code to target code to edge: looked up by borrowed strings, so an event
    /// on an existing edge allocates nothing.
    edges: HashMap<String, HashMap<String, Acc>>,
}

/// An edge being summed. The result does not depend on the order events arrive in
/// (a store may read them by pair, by month or by tally): scores are summed exactly
/// in millionths, and the ids kept are the earliest by (date, id).
#[derive(Debug)]
struct Acc {
    edge: Edge,
    micro: i64,
    first: Vec<(Option<NaiveDate>, String)>,
    /// Once `first` has been cut to the earliest ids: the latest kept; nothing after
    /// it can be among the earliest.
    cutoff: Option<(Option<NaiveDate>, String)>,
}

impl Acc {
    fn keep_earliest(&mut self) {
        self.first.sort_unstable();
        self.first.truncate(MAX_EDGE_EVENTS);
        self.cutoff = self.first.last().cloned();
    }
}

impl NetworkBuilder {
    fn node(&mut self, code: &str, label: &str, country: Option<&str>, counts: bool) {
        let n = match self.nodes.get_mut(code) {
            Some(n) => n,
            None => self.nodes.entry(code.to_string()).or_insert_with(|| Node {
                id: code.to_string(),
                label: label.to_string(),
                country: country.map(str::to_string),
                events: 0,
            }),
        };
        if counts {
            n.events += 1;
        }
    }

    pub fn add(&mut self, e: &EventView<'_>) {
        if !e.realized() {
            return;
        }
        let (Some(s), Some(t)) = (e.source_code, e.target_code) else { return };
        if s == t {
            return;
        }
        self.node(s, e.source_name.unwrap_or(s), e.source_country, true);
        self.node(t, e.target_name.unwrap_or(t), e.target_country, true);
        if !self.edges.contains_key(s) {
            self.edges.insert(s.to_string(), HashMap::new());
        }
        let Some(out) = self.edges.get_mut(s) else { return };
        if !out.contains_key(t) {
            let edge = Edge::empty(s, t, EdgeKind::Interaction);
            out.insert(t.to_string(), Acc { edge, micro: 0, first: Vec::new(), cutoff: None });
        }
        let Some(acc) = out.get_mut(t) else { return };
        acc.edge.events += 1;
        match e.quad {
            Some(1 | 2) => acc.edge.cooperation += 1,
            Some(3 | 4) => acc.edge.conflict += 1,
            _ => {}
        }
        acc.micro += (e.goldstein.unwrap_or(0.0) * 1e6).round() as i64;
        let later = acc.cutoff.as_ref().is_some_and(|c| (e.date, e.event_id) >= (c.0, c.1.as_str()));
        if !later {
            acc.first.push((e.date, e.event_id.to_string()));
            if acc.first.len() >= 2 * MAX_EDGE_EVENTS {
                acc.keep_earliest();
            }
        }
    }

    /// The network, with patron edges added.
    pub fn finish(self, patrons: &[PatronLink]) -> Network {
        let mut nodes: BTreeMap<String, Node> = self.nodes.into_iter().collect();
        let mut edges: BTreeMap<(String, String, EdgeKind), Edge> = self
            .edges
            .into_iter()
            .flat_map(|(s, out)| {
                out.into_iter().map(move |(t, mut acc)| {
                    acc.keep_earliest();
                    acc.edge.goldstein_sum = acc.micro as f64 / 1e6;
                    acc.edge.event_ids = acc.first.into_iter().map(|(_, id)| id).collect();
                    ((s.clone(), t, EdgeKind::Interaction), acc.edge)
                })
            })
            .collect();
        let mut node = |code: &str, label: &str, country: Option<&str>| {
            nodes.entry(code.to_string()).or_insert_with(|| Node {
                id: code.to_string(),
                label: label.to_string(),
                country: country.map(str::to_string),
                events: 0,
            });
        };
        for p in patrons {
            if p.client == p.patron {
                continue;
            }
            node(&p.client, &p.client_label, p.client.get(..3));
            node(&p.patron, &p.patron, p.patron.get(..3));
            edges
                .entry((p.client.clone(), p.patron.clone(), EdgeKind::Patron))
                .or_insert_with(|| Edge::empty(&p.client, &p.patron, EdgeKind::Patron));
        }
        let edges = edges
            .into_values()
            .map(|mut e| {
                e.goldstein_sum = (e.goldstein_sum * 100.0).round() / 100.0;
                if e.events > 0 {
                    e.weight = (e.goldstein_sum / f64::from(e.events) * 100.0).round() / 100.0;
                }
                e
            })
            .collect();
        Network { nodes: nodes.into_values().collect(), edges }
    }
}

/// The network of `events` (only those that happened), with patron edges.
pub fn network(events: &[Obs], patrons: &[PatronLink]) -> Network {
    let mut b = NetworkBuilder::default();
    for e in events {
        b.add(&EventView::of(e));
    }
    b.finish(patrons)
}

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 allows no other control characters.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn dot_id(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

impl Network {
    /// Drop the nodes no edge touches (after edges were filtered or capped).
    pub fn drop_loose_nodes(&mut self) {
        let used: std::collections::HashSet<&str> =
            self.edges.iter().flat_map(|e| [e.source.as_str(), e.target.as_str()]).collect();
        self.nodes.retain(|n| used.contains(n.id.as_str()));
    }

    /// GEXF 1.3, as Gephi reads it.
    pub fn to_gexf(&self) -> String {
        let mut s = String::new();
        s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.push_str("<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n");
        s.push_str("  <meta><creator>sway</creator></meta>\n");
        s.push_str("  <graph defaultedgetype=\"directed\">\n");
        s.push_str("    <attributes class=\"node\">\n      <attribute id=\"country\" title=\"country\" type=\"string\"/>\n      <attribute id=\"events\" title=\"events\" type=\"integer\"/>\n    </attributes>\n");
        s.push_str("    <attributes class=\"edge\">\n      <attribute id=\"kind\" title=\"kind\" type=\"string\"/>\n      <attribute id=\"events\" title=\"events\" type=\"integer\"/>\n      <attribute id=\"cooperation\" title=\"cooperation\" type=\"integer\"/>\n      <attribute id=\"conflict\" title=\"conflict\" type=\"integer\"/>\n      <attribute id=\"goldstein_sum\" title=\"goldstein_sum\" type=\"double\"/>\n    </attributes>\n");
        s.push_str("    <nodes>\n");
        for n in &self.nodes {
            let _ = writeln!(
                s,
                "      <node id=\"{}\" label=\"{}\"><attvalues><attvalue for=\"country\" value=\"{}\"/><attvalue for=\"events\" value=\"{}\"/></attvalues></node>",
                xml(&n.id),
                xml(&n.label),
                xml(n.country.as_deref().unwrap_or("")),
                n.events
            );
        }
        s.push_str("    </nodes>\n    <edges>\n");
        for (i, e) in self.edges.iter().enumerate() {
            let _ = writeln!(
                s,
                "      <edge id=\"{i}\" source=\"{}\" target=\"{}\" weight=\"{}\"><attvalues><attvalue for=\"kind\" value=\"{}\"/><attvalue for=\"events\" value=\"{}\"/><attvalue for=\"cooperation\" value=\"{}\"/><attvalue for=\"conflict\" value=\"{}\"/><attvalue for=\"goldstein_sum\" value=\"{}\"/></attvalues></edge>",
                xml(&e.source),
                xml(&e.target),
                e.weight,
                kind_str(e.kind),
                e.events,
                e.cooperation,
                e.conflict,
                e.goldstein_sum
            );
        }
        s.push_str("    </edges>\n  </graph>\n</gexf>\n");
        s
    }

    /// GraphML, as networkx, igraph and yEd read it.
    pub fn to_graphml(&self) -> String {
        let mut s = String::new();
        s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n");
        for (id, on, ty) in [
            ("label", "node", "string"),
            ("country", "node", "string"),
            ("events", "node", "int"),
            ("kind", "edge", "string"),
            ("events", "edge", "int"),
            ("cooperation", "edge", "int"),
            ("conflict", "edge", "int"),
            ("goldstein_sum", "edge", "double"),
            ("weight", "edge", "double"),
        ] {
            let _ = writeln!(s, "  <key id=\"{on}_{id}\" for=\"{on}\" attr.name=\"{id}\" attr.type=\"{ty}\"/>");
        }
        s.push_str("  <graph id=\"sway\" edgedefault=\"directed\">\n");
        for n in &self.nodes {
            let _ = writeln!(
                s,
                "    <node id=\"{}\"><data key=\"node_label\">{}</data><data key=\"node_country\">{}</data><data key=\"node_events\">{}</data></node>",
                xml(&n.id),
                xml(&n.label),
                xml(n.country.as_deref().unwrap_or("")),
                n.events
            );
        }
        for e in &self.edges {
            let _ = writeln!(
                s,
                "    <edge source=\"{}\" target=\"{}\"><data key=\"edge_kind\">{}</data><data key=\"edge_events\">{}</data><data key=\"edge_cooperation\">{}</data><data key=\"edge_conflict\">{}</data><data key=\"edge_goldstein_sum\">{}</data><data key=\"edge_weight\">{}</data></edge>",
                xml(&e.source),
                xml(&e.target),
                kind_str(e.kind),
                e.events,
                e.cooperation,
                e.conflict,
                e.goldstein_sum,
                e.weight
            );
        }
        s.push_str("  </graph>\n</graphml>\n");
        s
    }

    /// Graphviz DOT: conflict red, cooperation green, patronage dashed.
    pub fn to_dot(&self) -> String {
        let mut s = String::from("digraph sway {\n  rankdir=LR;\n  node [shape=box];\n");
        for n in &self.nodes {
            let esc = |x: &str| x.replace('\\', "\\\\").replace('"', "\\\"");
            let _ = writeln!(s, "  {} [label=\"{}\\n{}\"];", dot_id(&n.id), esc(&n.label), esc(&n.id));
        }
        for e in &self.edges {
            let style = match e.kind {
                EdgeKind::Patron => "style=dashed, color=gray40, label=\"backed by\"".to_string(),
                EdgeKind::Interaction => {
                    let color = if e.weight < 0.0 { "firebrick" } else { "forestgreen" };
                    format!(
                        "color={color}, penwidth={:.1}, label=\"{} ({:+.1})\"",
                        1.0 + f64::from(e.events).ln(),
                        e.events,
                        e.weight
                    )
                }
            };
            let _ = writeln!(s, "  {} -> {} [{style}];", dot_id(&e.source), dot_id(&e.target));
        }
        s.push_str("}\n");
        s
    }
}

fn kind_str(k: EdgeKind) -> &'static str {
    match k {
        EdgeKind::Interaction => "interaction",
        EdgeKind::Patron => "patron",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::obs;

    fn sample() -> Network {
        let mut militia = obs("2", "2020-01-08", "IRQREB", "USAMIL", 4, -9.0);
        militia.source_name = Some("Kata'ib Hezbollah & co".into());
        let events = vec![
            obs("1", "2020-01-03", "USAMIL", "IRNMIL", 4, -10.0),
            militia,
            obs("3", "2020-01-09", "IRQREB", "USAMIL", 3, -4.0),
            obs("4", "2020-02-01", "USAGOV", "IRQGOV", 1, 3.0),
        ];
        let patrons =
            vec![PatronLink { client: "IRQREB".into(), client_label: "militias".into(), patron: "IRN".into() }];
        network(&events, &patrons)
    }

    #[test]
    fn an_edge_does_not_depend_on_the_order_events_arrive_in() {
        // More events than an edge lists, with scores whose float sums depend on order.
        let events: Vec<Obs> = (0..2500)
            .map(|i| {
                let day = 1 + (i * 7919) % 28;
                obs(&format!("e{i:05}"), &format!("2020-03-{day:02}"), "USAMIL", "IRNMIL", 4, -0.1 * f64::from(i % 97))
            })
            .collect();
        let forward = network(&events, &[]);
        let mut backward = events.clone();
        backward.reverse();
        assert_eq!(forward, network(&backward, &[]));
        let edge = &forward.edges[0];
        assert_eq!(edge.event_ids.len(), MAX_EDGE_EVENTS);
        // The earliest by date, then id: every event of 2020-03-01 comes first.
        let first_day: Vec<&Obs> = events.iter().filter(|e| e.date.format("%d").to_string() == "01").collect();
        assert!(first_day.iter().all(|e| edge.event_ids.contains(&e.event_id)));
        assert!(edge.event_ids.windows(2).all(|w| {
            let date = |id: &str| events.iter().find(|e| e.event_id == id).map(|e| e.date);
            (date(&w[0]), &w[0]) < (date(&w[1]), &w[1])
        }));
    }

    #[test]
    fn edges_sum_what_happened_and_show_patrons() {
        let n = sample();
        let ids: Vec<&str> = n.nodes.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, ["IRN", "IRNMIL", "IRQGOV", "IRQREB", "USAGOV", "USAMIL"]);
        let militia = n.edges.iter().find(|e| e.source == "IRQREB" && e.kind == EdgeKind::Interaction).unwrap();
        assert_eq!((militia.events, militia.conflict, militia.cooperation), (2, 2, 0));
        assert_eq!((militia.goldstein_sum, militia.weight), (-13.0, -6.5));
        assert_eq!(militia.event_ids, ["2", "3"]);
        let patron = n.edges.iter().find(|e| e.kind == EdgeKind::Patron).unwrap();
        assert_eq!((patron.source.as_str(), patron.target.as_str()), ("IRQREB", "IRN"));
    }

    #[test]
    fn exports_are_well_formed() {
        let n = sample();
        let gexf = n.to_gexf();
        assert!(gexf.contains("label=\"Kata&apos;ib Hezbollah &amp; co\""), "{gexf}");
        assert_eq!(gexf.matches("<node ").count(), 6);
        assert_eq!(gexf.matches("<edge ").count(), 4);
        let graphml = n.to_graphml();
        assert_eq!(graphml.matches("<edge ").count(), 4);
        assert!(graphml.contains("<data key=\"edge_kind\">patron</data>"));
        let dot = n.to_dot();
        assert!(dot.starts_with("digraph sway {") && dot.trim_end().ends_with('}'));
        assert!(dot.contains("\"IRQREB\" -> \"IRN\" [style=dashed"));
        assert!(dot.contains("\"USAMIL\" -> \"IRNMIL\" [color=firebrick"));
        // Every tag opened is closed.
        for tag in ["gexf", "graph", "nodes", "edges"] {
            assert_eq!(gexf.matches(&format!("<{tag}")).count(), gexf.matches(&format!("</{tag}>")).count(), "{tag}");
        }
    }
}
