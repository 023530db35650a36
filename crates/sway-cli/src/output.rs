//! Output formats: JSONL, JSON and CSV, written to stdout.

use std::io::{BufWriter, Stdout, Write};

use clap::ValueEnum;
use serde::Serialize;
use sway_core::contract::{DocumentRecord, EventRecord};
use sway_store::StoredEvent;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Jsonl,
    Json,
    Csv,
}

/// Column names of the CSV output: one row per event.
const CSV_HEADER: &[&str] = &[
    "doc_id",
    "event_id",
    "date",
    "date_precision",
    "source_text",
    "source_code",
    "source_country",
    "cameo",
    "plover",
    "mode",
    "quad",
    "goldstein",
    "goldstein_table",
    "modality",
    "target_text",
    "target_code",
    "target_country",
    "location",
    "location_country",
    "location_lat",
    "location_lon",
    "confidence",
    "sentence",
    "evidence_start",
    "evidence_end",
    "evidence",
    "rule",
    "title",
    "url",
];

pub struct Out {
    format: Format,
    w: BufWriter<Stdout>,
    /// For CSV: a writer whose header is already written. JSON formats write to `w`.
    csv: Option<csv::Writer<BufWriter<Stdout>>>,
    first: bool,
}

/// Whether an error is a closed stdout (`sway analyze ... | head`), which is not a failure.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>().and_then(serde_json::Error::io_error_kind)
                == Some(std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<csv::Error>().is_some_and(
                |ce| matches!(ce.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe),
            )
    })
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

impl Out {
    /// An output of analyzed documents or events (CSV: one row per event).
    pub fn stdout(format: Format) -> anyhow::Result<Self> {
        Self::csv_with_header(format, CSV_HEADER)
    }

    fn json_item<T: Serialize>(&mut self, v: &T) -> anyhow::Result<()> {
        match self.format {
            Format::Jsonl => {
                serde_json::to_writer(&mut self.w, v)?;
                self.w.write_all(b"\n")?;
            }
            Format::Json => {
                self.w.write_all(if self.first { b"[\n" } else { b",\n" })?;
                serde_json::to_writer_pretty(&mut self.w, v)?;
            }
            Format::Csv => unreachable!("CSV rows are written by csv_event"),
        }
        self.first = false;
        Ok(())
    }

    fn csv_event(
        &mut self,
        doc_id: &str,
        title: &Option<String>,
        url: &Option<String>,
        e: &EventRecord,
    ) -> anyhow::Result<()> {
        let side = |p: &Option<sway_core::contract::ParticipantRecord>| {
            p.as_ref().map_or((String::new(), String::new(), String::new()), |p| {
                (p.text.clone(), opt(&p.code), opt(&p.country))
            })
        };
        let (st, sc, sn) = side(&e.source);
        let (tt, tc, tn) = side(&e.target);
        let row = [
            doc_id.to_string(),
            e.id.clone(),
            e.date.as_ref().map(|d| d.start.clone()).unwrap_or_default(),
            e.date
                .as_ref()
                .map(|d| {
                    serde_json::to_value(d.precision)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
                })
                .unwrap_or_default(),
            st,
            sc,
            sn,
            e.cameo.clone(),
            opt(&e.plover),
            opt(&e.mode),
            opt(&e.quad),
            opt(&e.goldstein),
            e.goldstein_table
                .map(|t| serde_json::to_value(t).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default())
                .unwrap_or_default(),
            e.modality.as_str().to_string(),
            tt,
            tc,
            tn,
            e.location.as_ref().map(|l| l.name.clone()).unwrap_or_default(),
            e.location.as_ref().map(|l| opt(&l.country)).unwrap_or_default(),
            e.location.as_ref().map(|l| opt(&l.lat)).unwrap_or_default(),
            e.location.as_ref().map(|l| opt(&l.lon)).unwrap_or_default(),
            e.confidence.to_string(),
            e.evidence.sentence.to_string(),
            e.evidence.start.to_string(),
            e.evidence.end.to_string(),
            e.evidence.text.clone(),
            e.rule.clone(),
            opt(title),
            opt(url),
        ];
        if let Some(c) = self.csv.as_mut() {
            c.write_record(&row)?;
        }
        Ok(())
    }

    /// One analyzed document: a JSON object, or one CSV row per event.
    pub fn document(&mut self, rec: &DocumentRecord) -> anyhow::Result<()> {
        if self.format == Format::Csv {
            for e in &rec.events {
                self.csv_event(&rec.doc_id, &rec.title, &rec.url, e)?;
            }
            return Ok(());
        }
        self.json_item(rec)
    }

    /// One stored event, with its document's id, title and url.
    pub fn stored_event(&mut self, se: &StoredEvent) -> anyhow::Result<()> {
        if self.format == Format::Csv {
            return self.csv_event(&se.doc_id, &se.title, &se.url, &se.event);
        }
        #[derive(Serialize)]
        struct Row<'a> {
            doc_id: &'a str,
            title: &'a Option<String>,
            url: &'a Option<String>,
            #[serde(flatten)]
            event: &'a EventRecord,
        }
        self.json_item(&Row { doc_id: &se.doc_id, title: &se.title, url: &se.url, event: &se.event })
    }

    /// Any serializable row: JSON formats only (CSV callers write their own rows).
    pub fn json_row<T: Serialize>(&mut self, v: &T) -> anyhow::Result<()> {
        self.json_item(v)
    }

    /// A CSV row of plain fields (the header was given to [`Out::csv_with_header`]).
    pub fn csv_row(&mut self, fields: &[String]) -> anyhow::Result<()> {
        if let Some(c) = self.csv.as_mut() {
            c.write_record(fields)?;
        }
        Ok(())
    }

    /// An output whose CSV has its own columns.
    pub fn csv_with_header(format: Format, header: &[&str]) -> anyhow::Result<Self> {
        let csv = if format == Format::Csv {
            let mut c = csv::Writer::from_writer(BufWriter::new(std::io::stdout()));
            c.write_record(header)?;
            Some(c)
        } else {
            None
        };
        Ok(Self { format, w: BufWriter::new(std::io::stdout()), csv, first: true })
    }

    pub fn is_csv(&self) -> bool {
        self.format == Format::Csv
    }

    pub fn finish(mut self) -> anyhow::Result<()> {
        match self.format {
            Format::Json => self.w.write_all(if self.first { b"[]\n" } else { b"\n]\n" })?,
            Format::Csv => {
                if let Some(c) = self.csv.as_mut() {
                    c.flush()?;
                }
            }
            Format::Jsonl => {}
        }
        self.w.flush()?;
        Ok(())
    }
}
