//! The file writers of an export: rows in, one file out, in each format.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Float64Builder, Int64Builder, ListBuilder, StringBuilder,
    TimestampMillisecondBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use super::{Cell, Column, ExportError, ExportFormat, Kind};

/// Where rows of one file go.
pub(super) trait Sink {
    fn write(&mut self, rows: &[Vec<Cell>]) -> Result<(), ExportError>;
    fn finish(self: Box<Self>) -> Result<(), ExportError>;
}

pub(super) fn open_sink(
    format: ExportFormat,
    path: &Path,
    columns: &[Column],
) -> Result<Box<dyn Sink>, ExportError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    }
    let file = File::create(path).map_err(|e| io(path, e))?;
    let out = BufWriter::with_capacity(1 << 20, file);
    Ok(match format {
        ExportFormat::Parquet => Box::new(ParquetSink::new(out, path, columns)?),
        ExportFormat::Ndjson => Box::new(NdjsonSink {
            out,
            path: path.to_owned(),
            columns: columns.to_vec(),
        }),
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(columns.iter().map(|c| c.name.as_str()))
                .map_err(|e| csv_err(path, e))?;
            Box::new(CsvSink {
                out: w,
                path: path.to_owned(),
            })
        }
    })
}

fn io(path: &Path, e: std::io::Error) -> ExportError {
    ExportError::Io {
        path: path.to_owned(),
        message: e.to_string(),
    }
}

fn csv_err(path: &Path, e: csv::Error) -> ExportError {
    ExportError::Io {
        path: path.to_owned(),
        message: e.to_string(),
    }
}

/// A time as RFC 3339 UTC, for the text formats.
fn rfc3339(t: i64) -> String {
    jiff::Timestamp::from_second(t)
        .map(|ts| ts.to_string())
        .unwrap_or_else(|_| t.to_string())
}

struct ParquetSink {
    writer: ArrowWriter<BufWriter<File>>,
    schema: Arc<Schema>,
    kinds: Vec<Kind>,
    path: PathBuf,
}

impl ParquetSink {
    fn new(out: BufWriter<File>, path: &Path, columns: &[Column]) -> Result<Self, ExportError> {
        let fields: Vec<Field> = columns
            .iter()
            .map(|c| Field::new(&c.name, data_type(c.kind), true))
            .collect();
        let schema = Arc::new(Schema::new(fields));
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build();
        let writer = ArrowWriter::try_new(out, schema.clone(), Some(props)).map_err(|e| {
            ExportError::Parquet {
                path: path.to_owned(),
                message: e.to_string(),
            }
        })?;
        Ok(ParquetSink {
            writer,
            schema,
            kinds: columns.iter().map(|c| c.kind).collect(),
            path: path.to_owned(),
        })
    }
}

fn data_type(kind: Kind) -> DataType {
    match kind {
        Kind::Int => DataType::Int64,
        Kind::Real => DataType::Float64,
        Kind::Text => DataType::Utf8,
        Kind::Bool => DataType::Boolean,
        // Parquet has no seconds: milliseconds keep the UTC timestamp type in every reader.
        Kind::Time => DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
        Kind::List(_) => DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
    }
}

/// The column `i` of `rows` as an Arrow array of `kind`; a value of another type is null.
fn array(rows: &[Vec<Cell>], i: usize, kind: Kind) -> ArrayRef {
    let cells = rows.iter().map(|r| &r[i]);
    match kind {
        Kind::Int => {
            let mut b = Int64Builder::with_capacity(rows.len());
            for c in cells {
                b.append_option(match c {
                    Cell::Int(v) => Some(*v),
                    _ => None,
                });
            }
            Arc::new(b.finish())
        }
        Kind::Real => {
            let mut b = Float64Builder::with_capacity(rows.len());
            for c in cells {
                b.append_option(match c {
                    Cell::Real(v) => Some(*v),
                    _ => None,
                });
            }
            Arc::new(b.finish())
        }
        Kind::Text => {
            let mut b = StringBuilder::new();
            for c in cells {
                b.append_option(match c {
                    Cell::Text(v) => Some(v.as_str()),
                    _ => None,
                });
            }
            Arc::new(b.finish())
        }
        Kind::Bool => {
            let mut b = BooleanBuilder::with_capacity(rows.len());
            for c in cells {
                b.append_option(match c {
                    Cell::Bool(v) => Some(*v),
                    _ => None,
                });
            }
            Arc::new(b.finish())
        }
        Kind::Time => {
            let mut b = TimestampMillisecondBuilder::with_capacity(rows.len()).with_timezone("UTC");
            for c in cells {
                b.append_option(match c {
                    Cell::Time(v) => v.checked_mul(1000),
                    _ => None,
                });
            }
            Arc::new(b.finish())
        }
        Kind::List(_) => {
            let mut b = ListBuilder::new(StringBuilder::new());
            for c in cells {
                match c {
                    Cell::List(items) => {
                        for item in items {
                            b.values().append_value(item);
                        }
                        b.append(true);
                    }
                    _ => b.append(false),
                }
            }
            Arc::new(b.finish())
        }
    }
}

impl Sink for ParquetSink {
    fn write(&mut self, rows: &[Vec<Cell>]) -> Result<(), ExportError> {
        let arrays: Vec<ArrayRef> = self
            .kinds
            .iter()
            .enumerate()
            .map(|(i, k)| array(rows, i, *k))
            .collect();
        let parquet = |e: String| ExportError::Parquet {
            path: self.path.clone(),
            message: e,
        };
        let batch = RecordBatch::try_new(self.schema.clone(), arrays)
            .map_err(|e| parquet(e.to_string()))?;
        self.writer
            .write(&batch)
            .map_err(|e| parquet(e.to_string()))
    }

    fn finish(self: Box<Self>) -> Result<(), ExportError> {
        let path = self.path.clone();
        let out = self.writer.into_inner().map_err(|e| ExportError::Parquet {
            path: path.clone(),
            message: e.to_string(),
        })?;
        out.into_inner()
            .map_err(|e| io(&path, e.into_error()))?
            .sync_all()
            .map_err(|e| io(&path, e))
    }
}

struct NdjsonSink {
    out: BufWriter<File>,
    path: PathBuf,
    columns: Vec<Column>,
}

impl Sink for NdjsonSink {
    fn write(&mut self, rows: &[Vec<Cell>]) -> Result<(), ExportError> {
        let mut line = String::new();
        for row in rows {
            line.clear();
            line.push('{');
            for (i, (c, v)) in self.columns.iter().zip(row).enumerate() {
                if i > 0 {
                    line.push(',');
                }
                line.push_str(&serde_json::Value::from(c.name.as_str()).to_string());
                line.push(':');
                let value = match v {
                    Cell::Null => serde_json::Value::Null,
                    Cell::Int(x) => (*x).into(),
                    Cell::Real(x) => (*x).into(),
                    Cell::Text(x) => x.as_str().into(),
                    Cell::Bool(x) => (*x).into(),
                    Cell::Time(x) => rfc3339(*x).into(),
                    Cell::List(items) => items.clone().into(),
                };
                line.push_str(&value.to_string());
            }
            line.push_str("}\n");
            self.out
                .write_all(line.as_bytes())
                .map_err(|e| io(&self.path, e))?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<(), ExportError> {
        let path = self.path.clone();
        self.out
            .into_inner()
            .map_err(|e| io(&path, e.into_error()))?
            .sync_all()
            .map_err(|e| io(&path, e))
    }
}

struct CsvSink {
    out: csv::Writer<BufWriter<File>>,
    path: PathBuf,
}

impl Sink for CsvSink {
    fn write(&mut self, rows: &[Vec<Cell>]) -> Result<(), ExportError> {
        for row in rows {
            let fields = row.iter().map(|v| match v {
                Cell::Null => String::new(),
                Cell::Int(x) => x.to_string(),
                Cell::Real(x) => x.to_string(),
                Cell::Text(x) => x.clone(),
                Cell::Bool(x) => x.to_string(),
                Cell::Time(x) => rfc3339(*x),
                Cell::List(items) => serde_json::Value::from(items.clone()).to_string(),
            });
            self.out
                .write_record(fields)
                .map_err(|e| csv_err(&self.path, e))?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<(), ExportError> {
        let path = self.path.clone();
        let out = self.out.into_inner().map_err(|e| ExportError::Io {
            path: path.clone(),
            message: e.to_string(),
        })?;
        out.into_inner()
            .map_err(|e| io(&path, e.into_error()))?
            .sync_all()
            .map_err(|e| io(&path, e))
    }
}
