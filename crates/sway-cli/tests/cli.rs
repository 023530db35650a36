//! End-to-end tests of the `sway` binary on the bundled example brief, the seed brief
//! (when `../shared` is present) and fixtures written here for each kind of bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn sway() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sway"));
    c.env_remove("SWAY_DB");
    c
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example() -> PathBuf {
    repo().join("examples/brief.txt")
}

fn seed() -> Option<PathBuf> {
    let p = repo().join("../shared/seed/brief.txt");
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipping: {} is absent (the seed brief lives in ../shared)", p.display());
        None
    }
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().unwrap_or_else(|e| panic!("running sway: {e}"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn jsonl(o: &Output) -> Vec<Value> {
    stdout(o).lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}"))).collect()
}

/// Check a record against the committed JSON Schema and check that every offset in it
/// gives back its text.
fn check_record(r: &Value) {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("schema/sway-output-v1.schema.json")).unwrap_or_default(),
    )
    .unwrap_or_else(|e| panic!("schema is not JSON: {e}"));
    let validator = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("schema does not compile: {e}"));
    let errors: Vec<String> = validator.iter_errors(r).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "record violates the schema: {errors:#?}");

    let text = r["text"].as_str().unwrap_or_else(|| panic!("run with --with-text"));
    let slice = |s: &Value, e: &Value| -> &str {
        let (s, e) = (s.as_u64().unwrap_or(0) as usize, e.as_u64().unwrap_or(0) as usize);
        text.get(s..e).unwrap_or_else(|| panic!("offsets {s}..{e} are not on char boundaries of the text"))
    };
    for a in r["actors"].as_array().into_iter().flatten() {
        for m in a["mentions"].as_array().into_iter().flatten() {
            assert_eq!(slice(&m["start"], &m["end"]), m["text"].as_str().unwrap_or_default());
        }
    }
    let sentences = r["sentences"].as_array().cloned().unwrap_or_default();
    for e in r["events"].as_array().into_iter().flatten() {
        let ev = &e["evidence"];
        assert_eq!(slice(&ev["start"], &ev["end"]), ev["text"].as_str().unwrap_or_default());
        assert_eq!(
            slice(&e["trigger"]["start"], &e["trigger"]["end"]),
            e["trigger"]["text"].as_str().unwrap_or_default()
        );
        let s = &sentences[ev["sentence"].as_u64().unwrap_or(0) as usize];
        assert_eq!((&s["start"], &s["end"]), (&ev["start"], &ev["end"]));
        // Every event has a source; an event with no target named has none.
        assert!(!e["source"].is_null(), "an event with no source: {e}");
        for side in ["source", "target"].into_iter().filter(|s| !e[*s].is_null()) {
            let idx = e[side]["actor"].as_u64().unwrap_or(u64::MAX) as usize;
            assert!(idx < r["actors"].as_array().map_or(0, Vec::len), "{side} points at no actor");
        }
    }
    // Nothing is ever extracted from boilerplate.
    let boiler: Vec<(u64, u64)> = r["blocks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|b| b["kind"] == "boilerplate")
        .map(|b| (b["start"].as_u64().unwrap_or(0), b["end"].as_u64().unwrap_or(0)))
        .collect();
    for a in r["actors"].as_array().into_iter().flatten() {
        for m in a["mentions"].as_array().into_iter().flatten() {
            let s = m["start"].as_u64().unwrap_or(0);
            assert!(!boiler.iter().any(|(bs, be)| *bs <= s && s < *be), "mention {m} is in boilerplate");
        }
    }
}

fn blocks_of<'a>(r: &'a Value, kind: &str) -> Vec<&'a str> {
    let text = r["text"].as_str().unwrap_or_default();
    r["blocks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|b| b["kind"] == kind)
        .map(|b| &text[b["start"].as_u64().unwrap_or(0) as usize..b["end"].as_u64().unwrap_or(0) as usize])
        .collect()
}

fn events_summary(r: &Value) -> Vec<(String, String, String, String)> {
    r["events"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let s = |side: &str| e[side]["code"].as_str().unwrap_or_default().to_string();
            (
                s("source"),
                e["cameo"].as_str().unwrap_or_default().to_string(),
                s("target"),
                e["modality"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn example_brief_end_to_end() {
    let o = run(sway().arg("analyze").arg(example()).arg("--with-text"));
    assert!(o.status.success(), "{}", stderr(&o));
    let recs = jsonl(&o);
    assert_eq!(recs.len(), 1);
    let r = &recs[0];
    check_record(r);
    assert_eq!(r["title"], "Beijing Edges Ahead in Contest for the Solomon Islands");
    assert_eq!(blocks_of(r, "takeaway").len(), 4);
    let boiler = blocks_of(r, "boilerplate");
    assert_eq!(boiler[0], "Related");
    assert!(boiler.iter().any(|b| b.starts_with("Pacific Islands Forum")));
    let ev = events_summary(r);
    assert!(ev.contains(&("CHN".into(), "070".into(), "SLB".into(), "asserted".into())), "{ev:?}");
    assert!(ev.contains(&("AUSGOV".into(), "112".into(), "CHN".into(), "asserted".into())), "{ev:?}");
    assert!(r["actors"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|a| a["code"] == "USA"
            && a["mentions"].as_array().is_some_and(|m| m.iter().any(|m| m["text"] == "Washington"))));
}

#[test]
fn seed_brief_blocks_and_events() {
    let Some(seed) = seed() else { return };
    let o = run(sway().arg("analyze").arg(&seed).arg("--with-text"));
    assert!(o.status.success(), "{}", stderr(&o));
    let r = &jsonl(&o)[0];
    check_record(r);
    assert_eq!(r["title"], "Iran Gaining in Battle for Iraq");
    assert_eq!(blocks_of(r, "title"), ["Iran Gaining in Battle for Iraq"]);
    let takeaways = blocks_of(r, "takeaway");
    assert_eq!(takeaways.len(), 4, "{takeaways:?}");
    assert!(takeaways[0].starts_with("Iran has made significant gains"));
    assert!(takeaways[1].starts_with("Secretary of State Pompeo"));
    assert!(takeaways[2].starts_with("The militias"));
    assert!(takeaways[3].starts_with("Iraq is helping Iran"));
    let boiler = blocks_of(r, "boilerplate");
    assert_eq!(boiler.first().copied(), Some("Check Also"));
    assert!(boiler.iter().any(|b| b.contains("Russian Offensive Campaign Assessment")));
    assert_eq!(blocks_of(r, "paragraph").len(), 4);
    let ev = events_summary(r);
    // The strike that killed the IRGC-QF's commander: Iran's military.
    assert!(
        ev.iter().any(|(s, c, t, m)| s == "USA" && c == "190" && t.starts_with("IRN") && m == "asserted"),
        "the January 2020 strike: {ev:?}"
    );
    assert!(
        ev.contains(&("IRQREB".into(), "190".into(), "USAGOV".into(), "asserted".into())),
        "proxy attacks on the embassy: {ev:?}"
    );
    // Places: the strike and the embassy threat are located in Baghdad, Tehran is the
    // city (not its province), and the "Check Also" teaser's Kurakhove is never read.
    let places = r["places"].as_array().cloned().unwrap_or_default();
    let place_names: Vec<&str> = places.iter().filter_map(|p| p["name"].as_str()).collect();
    assert!(place_names.contains(&"Baghdad") && place_names.contains(&"Lebanon"), "{place_names:?}");
    assert!(!place_names.contains(&"Kurakhove"), "the teaser is boilerplate: {place_names:?}");
    assert!(places.iter().any(|p| p["name"] == "Tehran" && p["kind"] == "city" && p["country"] == "IRN"));
    let text = r["text"].as_str().unwrap();
    for p in &places {
        let (a, b) = (p["start"].as_u64().unwrap() as usize, p["end"].as_u64().unwrap() as usize);
        assert_eq!(&text[a..b], p["text"].as_str().unwrap());
    }
    let located = |cameo: &str| {
        r["events"].as_array().into_iter().flatten().any(|e| {
            e["cameo"] == cameo
                && e["location"]["name"] == "Baghdad"
                && e["location"]["country"] == "IRQ"
                && places[e["location"]["place"].as_u64().unwrap() as usize]["name"] == "Baghdad"
        })
    };
    assert!(located("190") && located("130"), "the strike and the threat in Baghdad");
    // Every actor the brief names, with its country, sector (through the code) and patrons.
    let actors = r["actors"].as_array().cloned().unwrap_or_default();
    let find = |key: &str| {
        actors
            .iter()
            .find(|a| a["id"] == key || a["name"] == key)
            .unwrap_or_else(|| panic!("actor {key:?} not found among {actors:#?}"))
    };
    let patrons = |a: &Value| -> Vec<String> {
        a["patrons"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["country"].as_str().or(p["id"].as_str()).map(str::to_string))
            .collect()
    };
    for (key, code, patron) in [
        ("country:USA", "USA", None),
        ("country:IRN", "IRN", None),
        ("country:IRQ", "IRQ", None),
        ("mike-pompeo", "USAGOV", None),
        ("donald-trump", "USAGOV", None),
        ("mustafa-al-kadhimi", "IRQGOV", None),
        ("qasem-soleimani", "IRNMIL", None),
        ("abu-mahdi-al-muhandis", "IRQREB", None),
        ("irgc-quds-force", "IRNMIL", None),
        ("kata-ib-hezbollah", "IRQREB", Some("IRN")),
        ("kurdish-democratic-party", "IRQPTY", None),
        ("iraqi-resistance-coordination-commission", "IRQREB", Some("IRN")),
        ("islamic-state", "IMGREB", None),
        ("Iran-backed armed groups", "REB", Some("IRN")),
        ("Iraq military", "IRQMIL", None),
        ("Iraq police", "IRQCOP", None),
        ("Iran government", "IRNGOV", None),
        ("country:LBN", "LBN", None),
    ] {
        let a = find(key);
        assert_eq!(a["code"], code, "{key}: {a}");
        if let Some(p) = patron {
            assert!(patrons(a).iter().any(|x| x == p), "{key} patrons: {a}");
        }
    }
    // Mentions resolved across the text: the acronym it defines, the surname, the Trump administration.
    let mentions = |key: &str| -> Vec<String> {
        find(key)["mentions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m["text"].as_str().map(str::to_string))
            .collect()
    };
    assert!(mentions("kata-ib-hezbollah").iter().filter(|m| *m == "KAH").count() >= 3);
    assert!(mentions("mustafa-al-kadhimi").iter().any(|m| m == "Kadhimi"));
    assert!(mentions("Iraq government").iter().any(|m| m == "the Kadhimi government"));
    assert!(actors.iter().any(|a| a["code"] == "USAGOV"
        && a["mentions"].as_array().into_iter().flatten().any(|m| m["text"] == "The Trump administration")));
    // The embassy threat: aimed at whoever its condition names ("unless the Kadhimi
    // government stops ..."), and asserted: a threat is made when it is uttered, what it
    // threatens is what is conditional.
    assert!(
        events_summary(r).contains(&("USAGOV".into(), "130".into(), "IRQGOV".into(), "asserted".into())),
        "the embassy threat: {:?}",
        events_summary(r)
    );
    // Reported speech: "Iran announced ... that Iraq will allow it to draw down the
    // approximately $5 billion" is Iraq's act toward Iran, claimed by Iran, with the amount.
    let funds = r["events"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["source"]["code"] == "IRQ" && e["target"]["code"] == "IRN" && e["attributed_to"].is_number())
        .cloned()
        .unwrap_or_else(|| panic!("no claimed Iraq -> Iran event: {:#?}", r["events"]));
    let claimant = funds["attributed_to"].as_u64().and_then(|i| actors.get(i as usize)).cloned().unwrap_or_default();
    assert_eq!(claimant["code"], "IRN");
    assert_eq!(funds["modality"], "predicted");
    let amounts = r["amounts"].as_array().cloned().unwrap_or_default();
    assert!(
        funds["amounts"].as_array().into_iter().flatten().any(|id| amounts
            .iter()
            .any(|a| a["id"] == *id && a["text"].as_str().is_some_and(|t| t.contains("$5 billion")))),
        "{funds}"
    );
    // Time: the reference date comes from what the text reports, not the forecast or the teaser.
    assert_eq!(r["reference_method"], "inferred");
    assert!(r["reference_date"].as_str().is_some_and(|d| d.starts_with("2020-")), "{}", r["reference_date"]);
    for e in r["events"].as_array().into_iter().flatten() {
        let start = e["date"]["start"].as_str().unwrap_or_default();
        assert!(start.starts_with("2020-") || start < "2020", "event dated after 2020: {e}");
    }
    let strike = r["events"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["cameo"] == "190" && e["target"]["code"].as_str().is_some_and(|c| c.starts_with("IRN")))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (strike["date"]["start"].as_str(), strike["date"]["method"].as_str()),
        (Some("2020-01-01"), Some("clause"))
    );
    let values: Vec<&str> = r["times"].as_array().into_iter().flatten().filter_map(|t| t["value"].as_str()).collect();
    for v in ["2020-01", "2020-10-17", "2020-09", "2021"] {
        assert!(values.contains(&v), "{v} missing from {values:?}");
    }
    // Amounts: the drawdown from 5,200 to about 3,000 troops, and the $5 billion.
    let amounts: Vec<(String, Option<f64>, Option<String>)> = r["amounts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| {
            (
                a["text"].as_str().unwrap_or_default().to_string(),
                a["value"].as_f64(),
                a["unit"].as_str().map(str::to_string),
            )
        })
        .collect();
    assert!(amounts.contains(&("5,200".into(), Some(5200.0), Some("troops".into()))), "{amounts:?}");
    assert!(amounts.contains(&("about 3,000".into(), Some(3000.0), Some("troops".into()))), "{amounts:?}");
    assert!(amounts.contains(&("approximately $5 billion".into(), Some(5e9), Some("USD".into()))), "{amounts:?}");
    // Whose amounts: the troops are the U.S. military's, the funds Iran's.
    let owner = |text: &str| -> Option<String> {
        let a = r["amounts"].as_array()?.iter().find(|a| a["text"] == text)?;
        Some(actors.get(a["actor"].as_u64()? as usize)?["code"].as_str()?.to_string())
    };
    assert_eq!(owner("5,200").as_deref(), Some("USAMIL"));
    assert_eq!(owner("about 3,000").as_deref(), Some("USAMIL"));
    assert_eq!(owner("approximately $5 billion").as_deref(), Some("IRN"));
    // The September drawdown: the U.S. military's retreat from Iraq, with its two figures.
    let drawdown = r["events"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["cameo"] == "0874")
        .cloned()
        .unwrap_or_else(|| panic!("no drawdown event: {:#?}", r["events"]));
    assert_eq!(
        (drawdown["source"]["code"].as_str(), drawdown["target"]["code"].as_str()),
        (Some("USAMIL"), Some("IRQ"))
    );
    assert_eq!(drawdown["date"]["start"], "2020-09-01");
    let figures: Vec<&str> = drawdown["amounts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|id| r["amounts"].as_array()?.iter().find(|a| a["id"] == *id)?["text"].as_str())
        .collect();
    assert_eq!(figures, ["5,200", "about 3,000"]);
    // An event lists only the amounts that belong to it.
    for e in r["events"].as_array().into_iter().flatten() {
        for id in e["amounts"].as_array().into_iter().flatten() {
            let a = r["amounts"].as_array().into_iter().flatten().find(|a| a["id"] == *id).cloned().unwrap_or_default();
            assert_eq!(a["sentence"], e["evidence"]["sentence"], "{e} lists {a}");
        }
    }
    // Judgments: the four takeaways, and the closing paragraph's estimates.
    let judgments = r["judgments"].as_array().cloned().unwrap_or_default();
    assert_eq!(judgments.iter().filter(|j| j["kind"] == "key_judgment").count(), 4);
    let by_term = |t: &str| {
        judgments.iter().find(|j| j["term"] == t).cloned().unwrap_or_else(|| panic!("no judgment with {t:?}"))
    };
    let ac = by_term("almost certainly");
    assert!(ac["p_low"].as_f64() >= Some(0.95) && ac["p_high"].as_f64() <= Some(0.99), "{ac}");
    assert!(ac["conditions"][0].as_str().is_some_and(|c| c.starts_with("if the dampening influence")), "{ac}");
    assert!(by_term("no doubt")["p_low"].as_f64() >= Some(0.9));
    assert_eq!((ac["horizon"]["value"].as_str(), ac["horizon"]["mod"].as_str()), (Some("2021"), Some("MID")));
    let pompeo = judgments
        .iter()
        .find(|j| j["text"].as_str().is_some_and(|t| t.contains("will not prompt")))
        .cloned()
        .unwrap_or_default();
    assert_eq!(pompeo["negated"], true);
    assert!(pompeo["p_high"].as_f64() <= Some(0.1));
    // The teaser's Russian forces and Kurakhove are never analyzed.
    assert!(!r["actors"].as_array().into_iter().flatten().any(|a| a["country"] == "RUS"));
}

#[test]
fn formats_json_and_csv() {
    let o = run(sway().args(["analyze", "--format", "json"]).arg(example()));
    assert!(o.status.success());
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("json output: {e}"));
    let n_events = v[0]["events"].as_array().map_or(0, Vec::len);
    assert!(n_events > 0);
    let o = run(sway().args(["analyze", "--format", "csv"]).arg(example()));
    assert!(o.status.success());
    let mut rdr = csv::Reader::from_reader(o.stdout.as_slice());
    let headers = rdr.headers().cloned().unwrap_or_default();
    assert_eq!(&headers[0], "doc_id");
    assert!(headers.iter().any(|h| h == "evidence"));
    assert_eq!(rdr.records().count(), n_events);
    // An empty result is still valid JSON.
    let o = run(sway().args(["analyze", "--format", "json", "--max-bytes", "10"]).arg(example()));
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o).trim(), "[]");
}

#[test]
fn stdin_and_published() {
    let mut child = sway()
        .args(["analyze", "-", "--published", "2023-05-02"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap_or_else(|| panic!("no stdin"));
        stdin
            .write_all(b"Talks Collapse\n\nRussia threatened Ukraine with new strikes on Monday, officials said.\n")
            .unwrap_or_default();
    }
    let o = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert!(o.status.success(), "{}", stderr(&o));
    let r = &jsonl(&o)[0];
    assert_eq!(r["source"], "-");
    assert_eq!(r["published"], "2023-05-02");
    assert_eq!(r["reference_method"], "published");
    // "on Monday" in a piece published on Tuesday 2 May 2023 is the day before.
    assert_eq!(r["events"][0]["date"]["start"], "2023-05-01");
    assert_eq!(r["events"][0]["date"]["method"], "clause");
    let o = run(sway().args(["analyze", "-", "--published", "last week"]));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("YYYY-MM-DD"));
}

/// A minimal PDF with one page; `text` is drawn with a standard font when given.
fn pdf(text: Option<&str>) -> Vec<u8> {
    let content = text.map(|t| format!("BT /F1 12 Tf 72 720 Td ({t}) Tj ET")).unwrap_or_default();
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len() + 1),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

#[test]
fn pdf_text_layer_and_scans() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let good = dir.path().join("good.pdf");
    let scan = dir.path().join("scan.pdf");
    std::fs::write(&good, pdf(Some("Russia attacked Ukraine on Monday."))).unwrap_or_default();
    std::fs::write(&scan, pdf(None)).unwrap_or_default();
    let o = run(sway().arg("analyze").arg(&good).arg(&scan));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let recs = jsonl(&o);
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["format"], "pdf");
    assert_eq!(events_summary(&recs[0])[0].1, "190");
    let err = stderr(&o);
    assert!(err.contains(&format!("{}: PDF has no text layer", scan.display())), "{err}");
}

#[test]
fn bad_inputs_are_named_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let p = |n: &str| dir.path().join(n);
    std::fs::write(p("binary.bin"), b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00").unwrap_or_default();
    std::fs::write(p("empty.txt"), b"").unwrap_or_default();
    std::fs::write(p("latin1.txt"), b"Talks in Gen\xe8ve\n\nRussia threatened Ukraine, officials said in Gen\xe8ve.\n")
        .unwrap_or_default();
    std::fs::write(p("big.txt"), "Russia threatened Ukraine. ".repeat(100)).unwrap_or_default();
    std::fs::write(p("cut.html"), "<html><head><title>Talks</title></head><body><article><p>Russia threatened Ukraine on Monday, officials said, in a statement that").unwrap_or_default();
    std::fs::write(p("feed.jsonl"), "{\"id\": \"a\", \"text\": \"Russia threatened Ukraine.\"}\n{\"id\": \"b\", \"text\": \n{\"id\": \"c\", \"text\": \"Iran condemned Israel.\"}\n").unwrap_or_default();
    let o = run(sway().arg("analyze").args(["--max-bytes", "1K"]).args([
        p("binary.bin"),
        p("empty.txt"),
        p("latin1.txt"),
        p("big.txt"),
        p("missing.txt"),
        p("cut.html"),
        p("feed.jsonl"),
    ]));
    assert_eq!(o.status.code(), Some(1), "some inputs failed");
    let err = stderr(&o);
    let d = |n: &str| p(n).display().to_string();
    for want in [
        format!("error: {}: binary file", d("binary.bin")),
        format!("error: {}: empty file", d("empty.txt")),
        format!("warning: {}: not valid UTF-8: decoded as windows-1252", d("latin1.txt")),
        format!("error: {}: ", d("big.txt")),
        format!("error: {}: cannot read", d("missing.txt")),
        format!("warning: {}: HTML looks truncated", d("cut.html")),
        format!("error: {}:2: malformed JSONL line", d("feed.jsonl")),
    ] {
        assert!(err.lines().any(|l| l.starts_with(&want)), "missing {want:?} in:\n{err}");
    }
    assert!(err.contains("over the 1024-byte limit"), "{err}");
    let recs = jsonl(&o);
    let sources: Vec<&str> = recs.iter().filter_map(|r| r["source"].as_str()).collect();
    assert_eq!(
        sources,
        [d("latin1.txt"), d("cut.html"), format!("{}:1", d("feed.jsonl")), format!("{}:3", d("feed.jsonl"))]
    );
    assert_eq!(recs[0]["title"], "Talks in Genève");
    assert_eq!(recs[2]["input_id"], "a");
}

#[test]
fn non_english_is_skipped_not_coded() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let f = dir.path().join("fr.txt");
    std::fs::write(&f, "Les négociateurs des deux pays se sont réunis à Genève lundi pour la première fois depuis un an, ont indiqué des responsables. La Russie a menacé l'Ukraine.").unwrap_or_default();
    let o = run(sway().arg("analyze").arg(&f));
    assert!(o.status.success());
    assert!(stdout(&o).is_empty());
    assert!(stderr(&o).contains("not English: skipped"), "{}", stderr(&o));
}

#[test]
fn ingest_then_events_round_trips() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("nested/sway.db");
    let copy = dir.path().join("copy.txt");
    std::fs::copy(example(), &copy).unwrap_or_default();
    let o = run(sway().arg("ingest").arg("--db").arg(&db).arg(example()));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("stored 1 new document(s)"), "{}", stderr(&o));
    // The same content again, under another name: a no-op.
    let o = run(sway().arg("ingest").arg(&copy).env("SWAY_DB", &db));
    assert!(o.status.success());
    assert!(
        stderr(&o).contains("stored 0 new document(s) with 0 event(s)") && stderr(&o).contains("1 already stored"),
        "{}",
        stderr(&o)
    );

    let analyzed = jsonl(&run(sway().arg("analyze").arg(example())));
    let o = run(sway().arg("events").arg("--db").arg(&db));
    assert!(o.status.success(), "{}", stderr(&o));
    let stored = jsonl(&o);
    assert_eq!(stored.len(), analyzed[0]["events"].as_array().map_or(0, Vec::len));
    // The store lists events by date; compare them by id.
    let mut stored = stored;
    stored.sort_by_key(|e| e["id"].as_str().unwrap_or_default().to_string());
    let mut fresh: Vec<Value> = analyzed[0]["events"].as_array().cloned().unwrap_or_default();
    fresh.sort_by_key(|e| e["id"].as_str().unwrap_or_default().to_string());
    for (s, a) in stored.iter().zip(&fresh) {
        assert_eq!(s["id"], a["id"]);
        assert_eq!(s["evidence"], a["evidence"]);
        assert_eq!(s["doc_id"], analyzed[0]["doc_id"]);
    }
    let o = run(sway().args(["events", "--country", "aus", "--format", "csv"]).arg("--db").arg(&db));
    let mut rdr = csv::Reader::from_reader(o.stdout.as_slice());
    let rows: Vec<csv::StringRecord> = rdr.records().filter_map(Result::ok).collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| &r[6] == "AUS" || &r[16] == "AUS"), "{rows:?}");
    let o = run(sway().args(["events", "--actor", "CHN"]).arg("--db").arg(&db));
    assert!(jsonl(&o).iter().all(|e| e["source"]["code"].as_str().is_some_and(|c| c.starts_with("CHN"))
        || e["target"]["code"].as_str().is_some_and(|c| c.starts_with("CHN"))));
    // The example's events are dated in 2023 (from its text): date windows select them.
    let o = run(sway().args(["events", "--since", "2024-01-01"]).arg("--db").arg(&db));
    assert!(jsonl(&o).is_empty());
    let o = run(sway().args(["events", "--since", "2023-01-01", "--until", "2023-12-31"]).arg("--db").arg(&db));
    assert_eq!(jsonl(&o).len(), stored.len());
    let o = run(sway().args(["events", "--db"]).arg(dir.path().join("none.db")));
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("no store at"));
}

#[test]
fn killing_an_ingest_leaves_whole_documents() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let docs = dir.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap_or_default();
    for i in 0..400 {
        std::fs::write(
            docs.join(format!("{i:04}.txt")),
            format!(
                "Report {i}\n\nRussia attacked Ukraine on day {i}. Iran condemned Israel after talks number {i}.\n"
            ),
        )
        .unwrap_or_default();
    }
    let db = dir.path().join("k.db");
    let mut child = sway()
        .arg("ingest")
        .arg("--db")
        .arg(&db)
        .arg(&docs)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    std::thread::sleep(std::time::Duration::from_millis(300));
    let _ = child.kill();
    let _ = child.wait();
    // Whatever was committed is whole: every stored document has both its events.
    let conn = store_check::open(&db);
    let (docs_n, bad) = store_check::consistency(&conn);
    assert_eq!(bad, 0, "{bad} documents are missing events");
    // And a second run completes the batch without duplicates.
    let o = run(sway().arg("ingest").arg("--db").arg(&db).arg(&docs));
    assert!(o.status.success(), "{}", stderr(&o));
    let (after, bad) = store_check::consistency(&store_check::open(&db));
    assert_eq!((after, bad), (400, 0), "{docs_n} were stored before the kill");
}

/// A reader works while a writer ingests: every query answers (no "database is
/// locked"), sees whole documents only, and never sees fewer than the one before.
#[test]
fn a_reader_works_while_a_writer_ingests() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.jsonl");
    let line = |i: usize| {
        format!(
            "{{\"text\": \"Report {i}. Russia attacked Ukraine on day {i}. Iran condemned Israel after talks number {i}.\", \"published\": \"2020-01-06\"}}\n"
        )
    };
    let lines: String = (0..300).map(line).collect();
    std::fs::write(&feed, lines).unwrap();
    let db = dir.path().join("rw.db");
    // Create the store first, so the reader never races its creation.
    let first = dir.path().join("first.jsonl");
    std::fs::write(&first, line(999)).unwrap();
    let o = run(sway().arg("ingest").arg("--db").arg(&db).arg(&first));
    assert!(o.status.success(), "{}", stderr(&o));
    let (base, bad) = store_check::consistency(&store_check::open(&db));
    assert_eq!((base, bad), (1, 0));
    let mut writer = sway()
        .args(["ingest", "-j", "1", "-q", "--db"])
        .arg(&db)
        .arg(&feed)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut seen = Vec::new();
    loop {
        let running = writer.try_wait().unwrap().is_none();
        let o = run(sway().args(["dyad", "RUS", "UKR", "-f", "json", "--db"]).arg(&db));
        assert!(o.status.success(), "a read failed while writing: {}", stderr(&o));
        let (docs, bad) = store_check::consistency(&store_check::open(&db));
        assert_eq!(bad, 0, "a half-written document was visible");
        seen.push(docs);
        if !running {
            break;
        }
    }
    assert!(writer.wait().unwrap().success());
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert_eq!(*seen.last().unwrap(), base + 300, "{seen:?}");
    assert!(seen.len() >= 2, "the reader ran while the writer did: {seen:?}");
}

/// Reads the store through the events command only, so the test needs no SQLite crate.
mod store_check {
    use super::*;
    pub struct Db(PathBuf);
    pub fn open(p: &Path) -> Db {
        Db(p.to_path_buf())
    }
    /// (number of documents with events, documents whose event count is not 2)
    pub fn consistency(db: &Db) -> (usize, usize) {
        if !db.0.exists() {
            return (0, 0);
        }
        let o = run(sway().arg("events").arg("--db").arg(&db.0));
        let mut per_doc = std::collections::HashMap::<String, usize>::new();
        for e in jsonl(&o) {
            *per_doc.entry(e["doc_id"].as_str().unwrap_or_default().to_string()).or_default() += 1;
        }
        (per_doc.len(), per_doc.values().filter(|&&n| n != 2).count())
    }
}

#[test]
fn help_everywhere() {
    for sub in [&[][..], &["analyze"], &["ingest"], &["events"], &["schema"], &["explain"], &["judgments"], &["parse"]]
    {
        let o = run(sway().args(sub).arg("--help"));
        assert!(o.status.success(), "{sub:?} --help");
        assert!(stdout(&o).contains("Usage"), "{sub:?}");
    }
    let o = run(sway().arg("analyze"));
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn parse_keeps_given_tokens_and_offsets() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let f = dir.path().join("in.conllu");
    // A sentence written for this test, with a multiword token line to keep.
    std::fs::write(&f, "# sent_id = t1\n# text = Troops can't leave.\n1\tTroops\t_\t_\t_\t_\t_\t_\t_\t_\n2-3\tcan't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tca\t_\t_\t_\t_\t_\t_\t_\t_\n3\tn't\t_\t_\t_\t_\t_\t_\t_\t_\n4\tleave\t_\t_\t_\t_\t_\t_\t_\t_\n5\t.\t_\t_\t_\t_\t_\t_\t_\t_\n\n").unwrap_or_default();
    let o = run(sway().args(["parse", "--input-format", "conllu", "--timing"]).arg(&f));
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<Vec<&str>> =
        out.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[1][0], "2-3");
    let words: Vec<&Vec<&str>> = lines.iter().filter(|l| !l[0].contains('-')).collect();
    assert_eq!(words.iter().map(|l| l[1]).collect::<Vec<_>>(), ["Troops", "ca", "n't", "leave", "."]);
    assert_eq!(words.iter().filter(|l| l[6] == "0").count(), 1, "one root");
    assert_eq!(words[3][3], "VERB");
    assert!(stderr(&o).contains("timing: tokens=5 sentences=1 seconds="));

    let t = dir.path().join("in.txt");
    let text = "Iraqi forces attacked the base.  The U.S. condemned it.\n\nA second paragraph.";
    std::fs::write(&t, text).unwrap_or_default();
    let o = run(sway().arg("parse").arg(&t));
    assert!(o.status.success());
    let mut sentences = 0;
    for l in stdout(&o).lines() {
        if l.is_empty() {
            sentences += 1;
            continue;
        }
        if l.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = l.split('\t').collect();
        let range = f[9]
            .split('|')
            .find_map(|m| m.strip_prefix("TokenRange="))
            .unwrap_or_else(|| panic!("no TokenRange in {l}"));
        let (s, e) = range.split_once(':').unwrap_or_default();
        let (s, e): (usize, usize) = (s.parse().unwrap_or(0), e.parse().unwrap_or(0));
        assert_eq!(&text[s..e], f[1]);
    }
    assert_eq!(sentences, 3);
}

#[test]
fn judgments_ledger_round_trip() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("j.db");
    let o = run(sway().arg("ingest").arg("--db").arg(&db).arg(example()));
    assert!(o.status.success(), "{}", stderr(&o));
    let list = jsonl(&run(sway().args(["judgments", "--db"]).arg(&db)));
    assert!(list.len() >= 5, "{list:?}");
    assert_eq!(list.iter().filter(|j| j["kind"] == "key_judgment").count(), 4);
    let ac = list.iter().find(|j| j["term"] == "almost certainly").cloned().unwrap_or_else(|| panic!("{list:?}"));
    let id = ac["id"].as_str().unwrap_or_default().to_string();
    assert_eq!(ac["source"], example().display().to_string());
    assert!(ac["outcome"].is_null());

    let o = run(sway()
        .args(["resolve", &id, "--outcome", "yes", "--note", "it did", "--by", "analyst"])
        .arg("--db")
        .arg(&db));
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(sway().args(["resolve", "no-such-id", "--outcome", "no"]).arg("--db").arg(&db));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no judgment"));

    let open = jsonl(&run(sway().args(["judgments", "--open", "--db"]).arg(&db)));
    assert_eq!(open.len(), list.len() - 1);
    let all = jsonl(&run(sway().args(["judgments", "--db"]).arg(&db)));
    let done = all.iter().find(|j| j["id"] == id.as_str()).cloned().unwrap_or_default();
    assert_eq!(
        (done["outcome"].as_str(), done["resolved_by"].as_str(), done["outcome_note"].as_str()),
        (Some("yes"), Some("analyst"), Some("it did"))
    );

    let scores = jsonl(&run(sway().args(["judgments", "--scores", "--db"]).arg(&db)));
    assert_eq!(scores.len(), 1);
    assert_eq!(scores[0]["resolved"], 1);
    let p = (ac["p_low"].as_f64().unwrap_or(0.0) + ac["p_high"].as_f64().unwrap_or(0.0)) / 2.0;
    assert!((scores[0]["brier"].as_f64().unwrap_or(9.0) - (1.0 - p).powi(2)).abs() < 1e-9);
    let o = run(sway().args(["judgments", "--format", "csv", "--db"]).arg(&db));
    let mut rdr = csv::Reader::from_reader(o.stdout.as_slice());
    assert_eq!(rdr.records().count(), list.len());
}

#[test]
fn later_events_suggest_outcomes_without_applying_them() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("s.db");
    let feed = dir.path().join("feed.jsonl");
    std::fs::write(
        &feed,
        concat!(
            "{\"id\": \"forecast\", \"author\": \"A. Analyst\", \"published\": \"2023-01-10\", \"text\": \"Outlook\\n\\nRussia will almost certainly attack Ukraine again, officials fear.\"}\n",
            "{\"id\": \"report\", \"published\": \"2023-04-02\", \"text\": \"Report\\n\\nRussia attacked Ukraine on Saturday, officials said.\"}\n",
        ),
    )
    .unwrap_or_default();
    let o = run(sway().arg("ingest").arg("--db").arg(&db).arg(&feed));
    assert!(o.status.success(), "{}", stderr(&o));
    let s = jsonl(&run(sway().args(["judgments", "--suggest", "--db"]).arg(&db)));
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!(s[0]["suggested_outcome"], "yes");
    assert_eq!(s[0]["events"][0]["date"]["start"], "2023-04-01");
    // Nothing was recorded: the judgment is still open.
    let open = jsonl(&run(sway().args(["judgments", "--open", "--db"]).arg(&db)));
    assert!(open.iter().any(|j| j["id"] == s[0]["judgment"]));
    assert_eq!(
        open.iter().find(|j| j["id"] == s[0]["judgment"]).map(|j| j["author"].clone()),
        Some(Value::from("A. Analyst"))
    );
}

#[test]
fn output_does_not_depend_on_jobs() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let feed = dir.path().join("many.jsonl");
    let mut lines = String::new();
    for i in 0..40 {
        if i % 13 == 5 {
            lines.push_str("{broken\n");
        } else {
            lines.push_str(&format!("{{\"id\": \"d{i}\", \"text\": \"Report {i}\\n\\nRussia attacked Ukraine on day {i}, officials said.\"}}\n"));
        }
    }
    std::fs::write(&feed, lines).unwrap_or_default();
    let one = run(sway().args(["analyze", "-j", "1"]).arg(&feed).arg(example()));
    let three = run(sway().args(["analyze", "-j", "3"]).arg(&feed).arg(example()));
    assert_eq!(one.status.code(), Some(1));
    assert_eq!(three.status.code(), Some(1));
    assert_eq!(stdout(&one), stdout(&three));
    assert_eq!(stderr(&one), stderr(&three));
    let ids: Vec<String> = jsonl(&one).iter().filter_map(|r| r["input_id"].as_str().map(str::to_string)).collect();
    assert_eq!(ids.len(), 37);
    assert_eq!(ids[0], "d0");
    assert_eq!(ids[36], "d39");
}

#[test]
fn user_registry_and_patterns_add_to_the_bundled_ones_or_are_refused_whole() {
    let fixtures = repo().join("tests/fixtures/actors");
    let o = run(sway()
        .arg("analyze")
        .arg("--registry")
        .arg(fixtures.join("registry.tsv"))
        .args(["--published", "2021-03-02"])
        .arg(fixtures.join("militia.txt")));
    assert!(o.status.success(), "{}", stderr(&o));
    let r = &jsonl(&o)[0];
    let las = r["actors"].as_array().into_iter().flatten().find(|a| a["id"] == "liwa-al-sahil").cloned();
    assert!(las.is_some_and(|a| a["code"] == "IRQREB"), "{r}");
    assert!(
        r["pipeline"]["resources"].as_object().is_some_and(|m| m.keys().any(|k| k.contains("registry.tsv"))),
        "the user file is recorded among the resources: {}",
        r["pipeline"]
    );

    // A faulty file stops the run before anything is analyzed, naming file, line and reason.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let bad = dir.path().join("mine.tsv");
    std::fs::write(
        &bad,
        "id\tname\ttype\tcountry\tsector\tcode\taliases\troles\tpatrons\tnote\nx\tX\tplanet\tIRQ\t\t\t\t\t\t\n",
    )
    .unwrap_or_default();
    let o = run(sway().arg("analyze").arg("--registry").arg(&bad).arg(example()));
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).is_empty());
    let err = stderr(&o);
    assert!(err.contains(&format!("{}:2: bad type \"planet\"", bad.display())), "{err}");

    std::fs::write(&bad, "lemma\tcode\tbefore\tafter\tblock\tline\nurge\t9x\t\t\tURGE\t1\n").unwrap_or_default();
    let o = run(sway().arg("analyze").arg("--patterns").arg(&bad).arg(example()));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(&format!("{}:2: bad CAMEO code", bad.display())), "{}", stderr(&o));
}

#[test]
fn explain_shows_parse_actors_and_the_rule_behind_each_event() {
    let o = run(sway().arg("explain").arg(example()));
    assert!(o.status.success(), "{}", stderr(&o));
    let list = stdout(&o);
    let n = list
        .lines()
        .find(|l| l.contains("China provided the Solomon Islands"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or_else(|| panic!("sentence list: {list}"));
    let o = run(sway().arg("explain").arg(example()).args(["--sentence", &n.to_string()]));
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for want in
        ["parse:", "provided", "nsubj", "actor", "[CHN]", "-[070 AID", "rule data/patterns/skeleton-events.tsv:"]
    {
        assert!(out.contains(want), "{want:?} missing from:\n{out}");
    }
    let o = run(sway().arg("explain").arg(example()).args(["--sentence", "999"]));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no sentence 999"));
}

#[test]
fn contest_commands_read_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let o = run(sway()
        .arg("ingest")
        .arg(example())
        .arg(repo().join("tests/fixtures/actors/militia.txt"))
        .arg(repo().join("tests/fixtures/contest/proxies.txt"))
        .arg("--db")
        .arg(&db));
    assert!(o.status.success(), "{}", stderr(&o));
    let events = jsonl(&run(sway().args(["events", "--db"]).arg(&db)));
    assert!(!events.is_empty());
    let with_db = |args: &[&str]| {
        let o = run(sway().args(args).arg("--db").arg(&db));
        assert!(o.status.success(), "sway {args:?}: {}", stderr(&o));
        stdout(&o)
    };

    // Search: the documents' words, with a snippet; FTS5 syntax only with --raw.
    let hits: Vec<Value> =
        with_db(&["search", "Liwa", "-f", "jsonl"]).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(hits.len(), 1);
    assert!(hits[0]["snippet"].as_str().unwrap().contains("[Liwa]"), "{}", hits[0]);
    let bad = run(sway().args(["search", "AND OR (", "--raw", "--db"]).arg(&db));
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("search"), "{}", stderr(&bad));

    // Actors: every actor of an event is listed, with its counts.
    let actors: Value = serde_json::from_str(&with_db(&["actors", "-f", "json"])).unwrap();
    let listed: Vec<&str> = actors.as_array().unwrap().iter().filter_map(|a| a["code"].as_str()).collect();
    for e in &events {
        for side in ["source", "target"].into_iter().filter(|s| !e[*s].is_null()) {
            let code = e[side]["code"].as_str().unwrap();
            assert!(listed.contains(&code), "{code} missing from {listed:?}");
        }
    }
    let table = with_db(&["actors"]);
    assert!(table.lines().next().unwrap().starts_with("code"), "{table}");

    // Dyad: each period's events are the stored events between the two sides.
    let (a, b) = {
        let e = events
            .iter()
            .find(|e| e["source"]["country"].is_string() && e["target"]["country"].is_string())
            .expect("an event between two countries");
        (e["source"]["country"].as_str().unwrap().to_string(), e["target"]["country"].as_str().unwrap().to_string())
    };
    let rows: Vec<Value> =
        with_db(&["dyad", &a, &b, "-f", "jsonl"]).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(!rows.is_empty());
    let counted: usize = rows.iter().map(|r| r["event_ids"].as_array().unwrap().len()).sum();
    let between = events
        .iter()
        .filter(|e| {
            let (s, t) = (e["source"]["country"].as_str(), e["target"]["country"].as_str());
            let happened = matches!(e["modality"].as_str(), Some("asserted" | "attempted"));
            happened && e["date"].is_object() && ((s, t) == (Some(&a), Some(&b)) || (s, t) == (Some(&b), Some(&a)))
        })
        .count();
    assert_eq!(counted, between);
    for r in &rows {
        let q: u64 = r["quad"].as_array().unwrap().iter().map(|x| x.as_u64().unwrap()).sum();
        assert!(q <= r["events"].as_u64().unwrap());
    }
    let csv = with_db(&["dyad", &a, &b, "-f", "csv"]);
    assert_eq!(csv.lines().count(), rows.len() + 1);
    assert!(with_db(&["dyad", &a, &b]).contains("events per month:"));

    // Network: every realized event between two actors is on an edge; the militias'
    // patron is there.
    let net: Value = serde_json::from_str(&with_db(&["network", "-f", "json"])).unwrap();
    let edges = net["edges"].as_array().unwrap();
    let on_edges: u64 =
        edges.iter().filter(|e| e["kind"] == "interaction").map(|e| e["events"].as_u64().unwrap()).sum();
    let realized = events
        .iter()
        .filter(|e| matches!(e["modality"].as_str(), Some("asserted" | "attempted")) && e["date"].is_object())
        .filter(|e| !e["target"].is_null() && e["source"]["code"] != e["target"]["code"])
        .count() as u64;
    assert_eq!(on_edges, realized);
    assert!(edges.iter().any(|e| e["kind"] == "patron" && e["target"] == "IRN"), "{net:#}");
    let gexf = with_db(&["network", "-f", "gexf"]);
    assert!(gexf.starts_with("<?xml") && gexf.contains("</gexf>"));
    assert!(with_db(&["network", "-f", "graphml"]).contains("</graphml>"));
    assert!(with_db(&["network", "-f", "dot"]).starts_with("digraph sway {"));

    // Timeline: the stored events in date order.
    let lines: Vec<Value> =
        with_db(&["timeline", "-f", "jsonl"]).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), events.len());
    let dates: Vec<&str> = lines.iter().filter_map(|l| l["date"].as_str()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    assert!(with_db(&["timeline"]).contains("per month:"));

    // Balance: Iraq's own actors between the United States and Iran and its proxies.
    let rows: Vec<Value> = with_db(&["balance", "IRQ", "--powers", "USA,IRN", "-f", "jsonl"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!rows.is_empty());
    for r in &rows {
        let s = r["standings"].as_array().unwrap();
        assert_eq!((s[0]["power"].as_str(), s[1]["power"].as_str()), (Some("USA"), Some("IRN")));
        let index = |k: usize| s[k]["index"].as_f64().unwrap();
        assert!((r["balance"].as_f64().unwrap() - (index(0) - index(1))).abs() < 0.002, "{r}");
        assert!(
            r["max_single_event"].as_f64().unwrap() <= 0.5 + 1e-9 || s.iter().any(|x| x["events"].as_u64() > Some(1))
        );
        for x in s {
            for id in x["event_ids"].as_array().unwrap() {
                assert!(events.iter().any(|e| e["id"] == *id), "{id} is no stored event");
            }
        }
    }
    assert!(with_db(&["balance", "IRQ", "--powers", "USA,IRN"]).contains("balance (USA minus IRN)"));

    // A syndicated copy of a story: more reports, not more events or sources.
    let copy = dir.path().join("copy.txt");
    let original = std::fs::read_to_string(repo().join("tests/fixtures/contest/proxies.txt")).unwrap();
    std::fs::write(&copy, format!("{original}\nReporting by the wire desk.\n")).unwrap();
    let before: Vec<Value> =
        with_db(&["events", "--dedup"]).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let o = run(sway().arg("ingest").arg(&copy).arg("--db").arg(&db));
    assert!(o.status.success(), "{}", stderr(&o));
    let after: Vec<Value> = with_db(&["events", "--dedup"]).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(after.len(), before.len(), "the copy's events are the same events");
    let doubled: Vec<&Value> = after.iter().filter(|c| c["reports"] == 2).collect();
    assert!(!doubled.is_empty());
    for c in &doubled {
        assert_eq!(c["independent_sources"], 1, "{c}");
        assert_eq!(c["mentions"].as_array().unwrap().len(), 2);
    }
    let rows = |extra: &[&str]| -> Vec<Value> {
        let mut args = vec!["dyad", "USA", "IRQ", "-f", "jsonl"];
        args.extend_from_slice(extra);
        with_db(&args).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    };
    let (once, all) = (rows(&[]), rows(&["--all-reports"]));
    let sum = |r: &[Value], k: &str| r.iter().map(|x| x[k].as_u64().unwrap()).sum::<u64>();
    assert_eq!(sum(&once, "events") * 2, sum(&all, "events"));
    assert_eq!(sum(&once, "reports"), sum(&all, "events"));

    // Export: GDELT 2.0's columns first, one row per real event, every report counted.
    let csv = with_db(&["export", "-f", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(&header[..3], ["GLOBALEVENTID", "SQLDATE", "MonthYear"]);
    assert_eq!(header[60], "SOURCEURL");
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), after.len() + events_undated(&db));
    let mentions: u64 = records.iter().map(|r| r[31].parse::<u64>().unwrap()).sum();
    let stored = jsonl(&run(sway().args(["events", "--db"]).arg(&db))).len() as u64;
    assert_eq!(mentions, stored, "NumMentions adds up to every stored report");
    let all_rows = csv::Reader::from_reader(with_db(&["export", "--all-reports"]).as_bytes()).records().count();
    assert_eq!(all_rows as u64, stored);
    for line in with_db(&["export", "-f", "polecat"]).lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert!(v["cameo"].is_string() && v["sentence"].is_string(), "{v}");
        assert!(v["event_type"].is_string() || v["event_type"].is_null(), "{v}");
    }
    let geo: Value = serde_json::from_str(&with_db(&["export", "-f", "geojson"])).unwrap();
    assert_eq!(geo["type"], "FeatureCollection");
    for f in geo["features"].as_array().unwrap() {
        let c = f["geometry"]["coordinates"].as_array().unwrap();
        assert!(c[0].as_f64().unwrap().abs() <= 180.0 && c[1].as_f64().unwrap().abs() <= 90.0);
    }
    // Parquet: the CSV's rows and columns, typed.
    let pq = db.with_extension("parquet");
    with_db(&["export", "-f", "parquet", "-o", pq.to_str().unwrap()]);
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let reader = SerializedFileReader::new(std::fs::File::open(&pq).unwrap()).unwrap();
    let meta = reader.metadata().file_metadata();
    assert_eq!(meta.num_rows() as usize, records.len());
    assert_eq!(meta.schema_descr().num_columns(), header.len());
    let first = reader.get_row_iter(None).unwrap().next().unwrap().unwrap().to_string();
    assert!(first.starts_with(&format!("{{GLOBALEVENTID: \"{}\"", &records[0][0])), "{first}");
}

/// Stored events without a date: they are in no cluster, so each is a row of its own.
fn events_undated(db: &Path) -> usize {
    jsonl(&run(sway().args(["events", "--db"]).arg(db))).iter().filter(|e| !e["date"].is_object()).count()
}

/// The seed brief's claim, "Iran Gaining in Battle for Iraq", as the balance reads it:
/// for 2020 as a whole Iraq's actors lean to Iran, and every figure lists its events.
#[test]
fn seed_balance_tilts_toward_iran() {
    let Some(seed) = seed() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let o = run(sway().arg("ingest").arg(&seed).arg("--db").arg(&db));
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(sway().args(["balance", "IRQ", "--powers", "USA,IRN", "--by", "year", "-f", "json", "--db"]).arg(&db));
    assert!(o.status.success(), "{}", stderr(&o));
    let rows: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let y2020 = rows.as_array().unwrap().iter().find(|r| r["period"] == "2020").cloned().unwrap_or_default();
    assert!(y2020["balance"].as_f64().is_some_and(|b| b < 0.0), "{y2020:#}");
    let events = jsonl(&run(sway().args(["events", "--db"]).arg(&db)));
    for s in y2020["standings"].as_array().unwrap() {
        assert!(s["events"].as_u64() > Some(0), "{s}");
        for id in s["event_ids"].as_array().unwrap() {
            assert!(events.iter().any(|e| e["id"] == *id), "{id}");
        }
    }
}

/// An analyst corrects one event and rejects another; `sway recode` re-runs extraction
/// over the store, reports what changed, and the corrections still hold.
#[test]
fn corrections_survive_recode() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let o = run(sway().arg("ingest").arg(repo().join("tests/fixtures/contest/proxies.txt")).arg("--db").arg(&db));
    assert!(o.status.success(), "{}", stderr(&o));
    let events = jsonl(&run(sway().args(["events", "--db"]).arg(&db)));
    assert!(events.len() >= 2, "{events:?}");
    let (first, second) = (events[0]["id"].as_str().unwrap(), events[1]["id"].as_str().unwrap());
    let o = run(sway()
        .args(["correct", first, "cameo=0874", "modality=attempted", "--note", "a drawdown", "--by", "ana", "--db"])
        .arg(&db));
    assert!(o.status.success(), "{}", stderr(&o));
    let fixed: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!((fixed["cameo"].as_str(), fixed["modality"].as_str()), (Some("0874"), Some("attempted")));
    let o = run(sway().args(["correct", second, "valid=false", "--by", "ana", "--db"]).arg(&db));
    assert!(o.status.success(), "{}", stderr(&o));
    // Bad corrections are usage errors naming the problem.
    let o = run(sway().args(["correct", first, "cameo=war", "--db"]).arg(&db));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("CAMEO code"), "{}", stderr(&o));
    let o = run(sway().args(["correct", "no-such-event", "cameo=190", "--db"]).arg(&db));
    assert_eq!(o.status.code(), Some(2));

    let o = run(sway().args(["recode", "--dry-run", "--db"]).arg(&db));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("would recode"), "{}", stderr(&o));
    // A user registry changes the pipeline, so every document is coded again.
    let o = run(sway()
        .args(["recode", "-j", "2", "--registry"])
        .arg(repo().join("tests/fixtures/actors/registry.tsv"))
        .arg("--db")
        .arg(&db));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("recoded 1 of 1 document(s)"), "{}", stderr(&o));
    let after = jsonl(&run(sway().args(["events", "--db"]).arg(&db)));
    assert_eq!(after.len(), events.len() - 1, "the rejected event stays out");
    let kept = after.iter().find(|e| e["id"] == first).expect("the corrected event");
    assert_eq!(kept["cameo"], "0874");
    assert!(kept["rule"].as_str().unwrap().contains("corrected by ana"), "{kept}");
    assert!(!after.iter().any(|e| e["id"] == second));
    let list = stdout(&run(sway().args(["correct", "--list", "--db"]).arg(&db)));
    assert_eq!(list.lines().count(), 3, "{list}");
    assert!(list.contains("cameo=0874\ta drawdown"), "{list}");
}

/// A JSONL backfill far larger than --max-bytes streams: the limit is per document.
#[test]
fn a_big_jsonl_file_streams() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.jsonl");
    let line = "{\"text\": \"Iran condemned the United States on Monday after the strike in Baghdad.\", \"published\": \"2020-01-06\"}\n";
    std::fs::write(&feed, line.repeat(50)).unwrap();
    let o = run(sway().args(["analyze", "--max-bytes", "1K"]).arg(&feed));
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(jsonl(&o).len(), 50);
}

/// GET `path` from `addr` over plain HTTP/1.1; the status line and the body.
fn http_get(addr: &str, path: &str) -> (String, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).expect("the server listens");
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").expect("request sent");
    let mut buf = String::new();
    s.read_to_string(&mut buf).expect("a response");
    let (head, body) = buf.split_once("\r\n\r\n").expect("headers, then a body");
    (head.lines().next().unwrap_or_default().to_string(), body.to_string())
}

#[test]
fn serve_answers_on_loopback_until_stopped() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    // No store: a clear error naming it, and no file left behind.
    let o = run(sway().args(["serve", "--addr", "127.0.0.1:0", "--db"]).arg(&db));
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains(&db.display().to_string()), "{}", stderr(&o));
    assert!(!db.exists());
    // --analyze-limit without --analyze is a usage error.
    let o = run(sway().args(["serve", "--analyze-limit", "10", "--db"]).arg(&db));
    assert_eq!(o.status.code(), Some(2));

    let o = run(sway().arg("ingest").arg("--db").arg(&db).arg(example()));
    assert!(o.status.success(), "{}", stderr(&o));
    let mut child = sway()
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(&db)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let line = lines.next().unwrap().unwrap();
    let addr = line.split("http://").nth(1).and_then(|r| r.split('/').next()).unwrap().to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{line}");
    let (status, body) = http_get(&addr, "/api/health");
    assert!(status.contains("200"), "{status}");
    let health: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(health["documents"], 1);
    let (status, body) = http_get(&addr, "/");
    assert!(status.contains("200") && body.contains("<title>sway</title>"), "{status}");
    let (status, _) = http_get(&addr, "/../../etc/passwd");
    assert!(status.contains("404") || status.contains("400"), "{status}");
    child.kill().unwrap();
    child.wait().unwrap();
}
