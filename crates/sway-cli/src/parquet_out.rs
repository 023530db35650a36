//! `sway export --format parquet`: the CSV export's columns (GDELT 2.0's, then sway's)
//! as one Parquet file, typed: dates and counts as integers, scores and coordinates
//! as doubles, the rest as UTF-8 strings; empty cells are nulls. Written with the
//! parquet crate's column API (no Arrow), Snappy-compressed, in row groups of
//! `ROW_GROUP` rows, so Spark, DuckDB, pandas and R read it as it is.

use std::sync::Arc;

use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

/// A column's Parquet type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Int,
    Double,
}

/// The type of an export column, by its name.
pub fn kind(column: &str) -> Kind {
    match column {
        "SQLDATE" | "MonthYear" | "Year" | "QuadClass" | "NumMentions" | "NumSources" | "NumArticles"
        | "IsRootEvent" | "DATEADDED" | "Actor1Geo_Type" | "Actor2Geo_Type" | "ActionGeo_Type" | "attributed_to" => {
            Kind::Int
        }
        "FractionDate" | "GoldsteinScale" | "AvgTone" | "confidence" => Kind::Double,
        c if c.ends_with("_Lat") || c.ends_with("_Long") => Kind::Double,
        _ => Kind::Text,
    }
}

/// Rows per row group: a few MB of memory per group, and enough rows for Spark to
/// split the file.
pub const ROW_GROUP: usize = 100_000;

/// The Parquet schema of these columns (all optional).
pub fn schema(columns: &[&str]) -> String {
    let fields: Vec<String> = columns
        .iter()
        .map(|c| match kind(c) {
            Kind::Text => format!("  optional binary {c} (STRING);"),
            Kind::Int => format!("  optional int32 {c};"),
            Kind::Double => format!("  optional double {c};"),
        })
        .collect();
    format!("message sway_event {{\n{}\n}}", fields.join("\n"))
}

/// Write `rows` (cells as the CSV export has them) to `out`.
pub fn write<W: std::io::Write + Send>(
    out: W,
    columns: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> anyhow::Result<usize> {
    let schema = Arc::new(parse_message_type(&schema(columns))?);
    let props = Arc::new(WriterProperties::builder().set_compression(Compression::SNAPPY).build());
    let mut writer = SerializedFileWriter::new(out, schema, props)?;
    let kinds: Vec<Kind> = columns.iter().map(|c| kind(c)).collect();
    let mut group: Vec<Vec<String>> = Vec::with_capacity(ROW_GROUP);
    let mut n = 0;
    let mut rows = rows.peekable();
    while rows.peek().is_some() {
        group.clear();
        group.extend(rows.by_ref().take(ROW_GROUP));
        n += group.len();
        let mut rg = writer.next_row_group()?;
        let mut i = 0;
        while let Some(mut col) = rg.next_column()? {
            let cells = group.iter().map(|r| r.get(i).map(String::as_str).unwrap_or_default());
            let def: Vec<i16> = cells.clone().map(|c| i16::from(!c.is_empty())).collect();
            match kinds[i] {
                Kind::Text => {
                    let v: Vec<ByteArray> =
                        cells.filter(|c| !c.is_empty()).map(|c| ByteArray::from(c.as_bytes().to_vec())).collect();
                    col.typed::<ByteArrayType>().write_batch(&v, Some(&def), None)?;
                }
                Kind::Int => {
                    let v: Vec<i32> = cells.filter(|c| !c.is_empty()).map(|c| c.parse().unwrap_or(0)).collect();
                    col.typed::<Int32Type>().write_batch(&v, Some(&def), None)?;
                }
                Kind::Double => {
                    let v: Vec<f64> = cells.filter(|c| !c.is_empty()).map(|c| c.parse().unwrap_or(f64::NAN)).collect();
                    col.typed::<DoubleType>().write_batch(&v, Some(&def), None)?;
                }
            }
            col.close()?;
            i += 1;
        }
        rg.close()?;
    }
    writer.close()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};

    #[test]
    fn columns_round_trip_typed_with_nulls() {
        let cols = ["GLOBALEVENTID", "SQLDATE", "GoldsteinScale", "ActionGeo_Lat", "evidence"];
        let rows = vec![
            vec!["e-1".into(), "20200103".into(), "-10".into(), "33.3".into(), "U.S. strike kills Soleimani".into()],
            vec!["e-2".into(), String::new(), "3.4".into(), String::new(), "Talks".into()],
        ];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.parquet");
        assert_eq!(write(std::fs::File::create(&path).unwrap(), &cols, rows.into_iter()).unwrap(), 2);
        let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
        assert_eq!(reader.metadata().file_metadata().num_rows(), 2);
        let got: Vec<String> = reader.get_row_iter(None).unwrap().map(|r| r.unwrap().to_string()).collect();
        assert_eq!(
            got[0],
            "{GLOBALEVENTID: \"e-1\", SQLDATE: 20200103, GoldsteinScale: -1E1, ActionGeo_Lat: 33.3, evidence: \"U.S. strike kills Soleimani\"}"
        );
        assert!(got[1].contains("SQLDATE: null") && got[1].contains("ActionGeo_Lat: null"), "{}", got[1]);
        assert_eq!(kind("Actor2Geo_Long"), Kind::Double);
        assert_eq!(kind("NumSources"), Kind::Int);
    }
}
