//! Actor recognition on fictional articles written for sway (`tests/fixtures/actors`),
//! with a user registry file: transliteration variants, acronyms the text defines,
//! titles, unknown people, coreference, patrons and roles by date.

use std::path::{Path, PathBuf};

use sway_core::contract::{ActorRecord, ActorType, DocumentRecord};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/actors")
}

fn analyze(name: &str, published: &str) -> DocumentRecord {
    let mut pipeline = sway_pipeline::Pipeline::new().unwrap_or_else(|e| panic!("{e}"));
    let src = std::fs::read_to_string(dir().join("registry.tsv")).unwrap_or_default();
    assert_eq!(pipeline.add_registry_file("registry.tsv", &src).unwrap_or_else(|e| panic!("{e}")), 3);
    let bytes = std::fs::read(dir().join(name)).unwrap_or_default();
    let opts = sway_ingest::ReadOptions { published: published.parse().ok(), ..Default::default() };
    let doc = sway_ingest::read_bytes(name, &bytes, &opts).remove(0).unwrap_or_else(|e| panic!("{e}"));
    let rec = pipeline.analyze(&doc, true).unwrap_or_else(|e| panic!("{e}"));
    let text = rec.text.as_deref().unwrap_or_default();
    for a in &rec.actors {
        for m in &a.mentions {
            assert_eq!(&text[m.start..m.end], m.text, "offsets of {m:?}");
        }
    }
    rec
}

fn actor<'a>(rec: &'a DocumentRecord, id_or_name: &str) -> &'a ActorRecord {
    rec.actors
        .iter()
        .find(|a| a.id.as_deref() == Some(id_or_name) || a.name == id_or_name)
        .unwrap_or_else(|| panic!("no actor {id_or_name:?} in {:#?}", rec.actors))
}

fn mentions(a: &ActorRecord) -> Vec<&str> {
    a.mentions.iter().map(|m| m.text.as_str()).collect()
}

#[test]
fn registry_variants_acronyms_and_coreference() {
    let rec = analyze("militia.txt", "2021-03-02");
    let las = actor(&rec, "liwa-al-sahil");
    let m = mentions(las);
    // The title's "Coast Brigade", the apostrophe variant, the acronym the text defines
    // (then used alone), and "the group" / "the militia" referring back.
    for expected in ["Coast Brigade", "The Liwa’ al-Sahil", "LAS", "the group", "the militia"] {
        assert!(m.contains(&expected), "{expected:?} not among {m:?}");
    }
    assert_eq!(las.code, "IRQREB");
    let patrons: Vec<String> =
        las.patrons.iter().map(|p| p.country.clone().or(p.id.clone()).unwrap_or_default()).collect();
    assert_eq!(patrons, ["IRN", "sahil-patron-unit"]);
    assert_eq!(actor(&rec, "sahil-patron-unit").code, "IRNMIL");

    // A registry person codes by the role held on the reference date.
    let venn = actor(&rec, "dara-venn");
    assert_eq!(venn.code, "IRQGOV");
    assert_eq!(venn.kind, ActorType::Person);
    let m = mentions(venn);
    // The title is part of the mention.
    assert!(m.contains(&"Prime Minister Dara Venn") && m.contains(&"Venn") && m.contains(&"his"), "{m:?}");
    // "The Venn government" is the government of his country.
    assert!(mentions(actor(&rec, "Iraq government")).contains(&"The Venn government"));

    // An unknown person after a title: typed, sectored, and found again by surname.
    let quince = actor(&rec, "Orla Quince");
    assert_eq!((quince.kind, quince.id.as_deref(), quince.sector.as_deref()), (ActorType::Person, None, Some("GOV")));
    assert_eq!(mentions(quince), ["Secretary of State Orla Quince", "Quince"]);

    assert_eq!(actor(&rec, "Iraq police").code, "IRQCOP");
    assert!(rec.actors.iter().any(|a| a.code.starts_with("IGO") && mentions(a).contains(&"the United Nations")));
}

#[test]
fn a_person_codes_by_the_role_held_that_day() {
    let rec = analyze("roles-2023.txt", "2023-05-01");
    assert_eq!(actor(&rec, "dara-venn").code, "IRQLEG");
    assert!(mentions(actor(&rec, "liwa-al-sahil")).contains(&"Liwa al Sahil"));
}
