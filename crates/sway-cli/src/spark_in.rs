//! `sway ingest --events DIR`: the output of the Spark job (`python -m sway.spark`,
//! `python/sway/spark.py`) loaded into the store. Its `documents/` table holds each
//! document's full output-contract record (`record`, JSON) and its text (`text`), so
//! the store gets exactly what `sway ingest` would have stored, without re-analyzing.

use std::path::{Path, PathBuf};

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use sway_core::contract::DocumentRecord;

/// The Parquet files of the documents table under `dir` (the job's OUTPUT, or its
/// `documents/` directory itself), in path order; `Err` names what is missing.
pub fn documents_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if !dir.is_dir() {
        return Err(format!("{}: not a directory (expected the output of `python -m sway.spark`)", dir.display()));
    }
    let root = if dir.join("documents").is_dir() {
        dir.join("documents")
    } else if dir.file_name().is_some_and(|n| n == "documents") {
        dir.to_path_buf()
    } else {
        return Err(format!(
            "{}: no documents/ table in it (expected the output of `python -m sway.spark`)",
            dir.display()
        ));
    };
    // Spark's markers (_SUCCESS), work in progress (_temporary/) and checksums (hidden
    // .crc files) are not data.
    let out: Vec<PathBuf> = crate::inputs::expand(std::slice::from_ref(&root))
        .into_iter()
        .filter(|p| {
            let under = p.strip_prefix(&root).unwrap_or(p);
            p.extension().is_some_and(|e| e == "parquet")
                && !under.components().any(|c| c.as_os_str().to_string_lossy().starts_with('_'))
        })
        .collect();
    if out.is_empty() {
        return Err(format!(
            "{}: no Parquet files of a documents table (expected DIR/documents/month=.../*.parquet, as `python -m sway.spark` writes)",
            dir.display()
        ));
    }
    Ok(out)
}

/// Call `each` with every document of one Parquet file, or with why a row (or the
/// whole file) cannot be read, named `file` or `file:row`.
pub fn read_file(path: &Path, each: &mut dyn FnMut(Result<(DocumentRecord, String), String>)) {
    let name = path.display().to_string();
    let reader = match std::fs::File::open(path)
        .map_err(|e| e.to_string())
        .and_then(|f| SerializedFileReader::new(f).map_err(|e| format!("not a readable Parquet file: {e}")))
    {
        Ok(r) => r,
        Err(e) => return each(Err(format!("{name}: {e}"))),
    };
    let columns: Vec<String> =
        reader.metadata().file_metadata().schema_descr().columns().iter().map(|c| c.name().to_string()).collect();
    for needed in ["record", "text"] {
        if !columns.iter().any(|c| c == needed) {
            return each(Err(format!(
                "{name}: no `{needed}` column (not the documents table of `python -m sway.spark`, or an older one)"
            )));
        }
    }
    let rows = match reader.get_row_iter(None) {
        Ok(rows) => rows,
        Err(e) => return each(Err(format!("{name}: {e}"))),
    };
    for (i, row) in rows.enumerate() {
        let at = format!("{name}:{}", i + 1);
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                // A damaged page: the rest of the file cannot be trusted either.
                each(Err(format!("{at}: {e}")));
                return;
            }
        };
        let (mut record, mut text) = (None, None);
        for (col, field) in row.get_column_iter() {
            match (col.as_str(), field) {
                ("record", Field::Str(s)) => record = Some(s),
                ("text", Field::Str(s)) => text = Some(s),
                _ => {}
            }
        }
        let parsed = match (record, text) {
            (Some(r), Some(t)) => serde_json::from_str::<DocumentRecord>(r)
                .map(|rec| (rec, t.clone()))
                .map_err(|e| format!("{at}: the record is not a sway output record: {e}")),
            (None, _) => Err(format!("{at}: the record is null")),
            (_, None) => Err(format!("{at}: the text is null")),
        };
        each(parsed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(text: &str) -> String {
        let p = sway_pipeline::Pipeline::new().unwrap();
        let opts = sway_ingest::ReadOptions::default();
        let doc = sway_ingest::read_bytes("t.txt", text.as_bytes(), &opts).remove(0).unwrap();
        serde_json::to_string(&p.analyze(&doc, false).unwrap()).unwrap()
    }

    #[test]
    fn the_documents_table_reads_back_and_faults_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let part = dir.path().join("documents").join("month=2020-01");
        std::fs::create_dir_all(&part).unwrap();
        let text = "Russia attacked Ukraine on Monday.";
        let rows = vec![vec![record(text), text.to_string()], vec!["{\"not\": 1}".into(), "x".into()]];
        let f = std::fs::File::create(part.join("part-0.parquet")).unwrap();
        crate::parquet_out::write(f, &["record", "text"], rows.into_iter()).unwrap();
        std::fs::write(part.join("_SUCCESS"), "").unwrap();
        let files = documents_files(dir.path()).unwrap();
        assert_eq!(files.len(), 1, "{files:?}");
        let mut got = Vec::new();
        read_file(&files[0], &mut |r| got.push(r));
        assert_eq!(got.len(), 2);
        let (rec, t) = got[0].as_ref().unwrap();
        assert_eq!(t, text);
        assert!(!rec.events.is_empty());
        let e = got[1].as_ref().unwrap_err();
        assert!(e.contains("part-0.parquet:2") && e.contains("not a sway output record"), "{e}");
        // A directory that is not the job's output is refused by name.
        let e = documents_files(&part).unwrap_err();
        assert!(e.contains("no documents/ table"), "{e}");
        // A file without the columns is refused once, not row by row.
        let other = part.join("other.parquet");
        let f = std::fs::File::create(&other).unwrap();
        crate::parquet_out::write(f, &["record"], vec![vec!["{}".to_string()]].into_iter()).unwrap();
        let mut got = Vec::new();
        read_file(&other, &mut |r| got.push(r));
        assert_eq!(got.len(), 1);
        assert!(got[0].as_ref().unwrap_err().contains("no `text` column"));
    }
}
