//! Judgment detection precision and recall on fictional briefs written and annotated
//! for sway (`tests/fixtures/judgments`): a found judgment is right when its sentence
//! is a gold one and its term and negation match.

use std::path::Path;

struct Gold {
    prefix: String,
    term: Option<String>,
    negated: bool,
}

fn gold(path: &Path) -> Vec<Gold> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Gold { prefix: f[0].to_string(), term: (f[1] != "-").then(|| f[1].to_string()), negated: f[2] == "true" }
        })
        .collect()
}

#[test]
fn detection_precision_and_recall() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/judgments");
    let pipeline = sway_pipeline::Pipeline::new().unwrap_or_else(|e| panic!("{e}"));
    let (mut found, mut right_found, mut gold_n, mut gold_hit) = (0usize, 0usize, 0usize, 0usize);
    for name in ["brief-caucasus", "brief-sahel"] {
        let bytes = std::fs::read(dir.join(format!("{name}.txt"))).unwrap_or_default();
        let doc = sway_ingest::read_bytes(&format!("{name}.txt"), &bytes, &Default::default())
            .remove(0)
            .unwrap_or_else(|e| panic!("{e}"));
        let rec = pipeline.analyze(&doc, false).unwrap_or_else(|e| panic!("{e}"));
        let gold = gold(&dir.join(format!("{name}.gold.tsv")));
        let matches = |j: &sway_core::contract::JudgmentRecord, g: &Gold| {
            j.text.starts_with(&g.prefix) && j.term == g.term && j.negated == g.negated
        };
        for j in &rec.judgments {
            found += 1;
            if gold.iter().any(|g| matches(j, g)) {
                right_found += 1;
            } else {
                eprintln!("{name}: extra or wrong: {:?} {:?} negated={} :: {}", j.kind, j.term, j.negated, j.text);
            }
        }
        for g in &gold {
            gold_n += 1;
            if rec.judgments.iter().any(|j| matches(j, g)) {
                gold_hit += 1;
            } else {
                eprintln!("{name}: missed: {} ({:?})", g.prefix, g.term);
            }
        }
    }
    let p = right_found as f64 / found.max(1) as f64;
    let r = gold_hit as f64 / gold_n.max(1) as f64;
    eprintln!("judgment detection on fictional briefs: precision {p:.3} ({right_found}/{found}), recall {r:.3} ({gold_hit}/{gold_n})");
    assert!(p >= 0.8 && r >= 0.8, "precision {p:.3}, recall {r:.3}");
}
